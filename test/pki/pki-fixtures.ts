/**
 * What the PKI tests share: a monitoring chart (VectorPki and the VectorAggregator it certifies) and a
 * source chart (VectorClientPki and the VectorAgent it certifies), wired the way the README shows,
 * synthesized into plain JSON the tests read.
 */
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { VectorAgent, type VectorAgentProps } from '../../lib/agent';
import { VectorAggregator, type VectorAggregatorProps } from '../../lib/aggregator';
import type { CertificateSpec, IssuerSpec } from '../../lib/k8s/cert-manager';
import { VectorClientPki, type VectorClientPkiProps, VectorPki, type VectorPkiProps } from '../../lib/pki';
import { thrownMessage } from '../helpers/errors';

/** The load balancer hostname the agents connect to; it must be a name in the server certificate. */
export const LB_HOSTNAME = 'vector.monitoring.example.com';
export const CLUSTER = { name: 'dev', environment: 'development', region: 'fsn1' } as const;

/** Construct paths: every prop error starts with one of these. */
export const PKI_PATH = 'monitoring/Pki';
export const CLIENT_PKI_PATH = 'source/ClientPki';

export const AGGREGATOR_PROPS: VectorAggregatorProps = {
  loki: { endpoint: 'http://loki-gateway.monitoring.svc:80' },
  metrics: { remoteWrite: { endpoint: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write' } },
  loadBalancer: { hostname: LB_HOSTNAME },
};

export const AGENT_PROPS: VectorAgentProps = {
  cluster: CLUSTER,
  aggregator: { endpoints: [`${LB_HOSTNAME}:6000`] },
  remoteWrite: { endpoint: 'https://prometheus.monitoring.example.com/api/v1/write' },
};

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: unknown;
  readonly data?: Record<string, string>;
}

export interface CertificateManifest extends Manifest {
  readonly kind: 'Certificate';
  readonly spec: CertificateSpec;
}

export interface IssuerManifest extends Manifest {
  readonly kind: 'Issuer' | 'ClusterIssuer';
  readonly spec: IssuerSpec;
}

export interface MonitoringChart {
  readonly chart: Chart;
  readonly pki: VectorPki;
  readonly aggregator: VectorAggregator;
}

export interface SourceChart {
  readonly chart: Chart;
  readonly clientPki: VectorClientPki;
  readonly agent: VectorAgent;
}

/** A monitoring cluster: the PKI first, the aggregator taking `pki.serverTls`, then `pki.addServer(aggregator)`. */
export function monitoringChart(
  pkiProps: VectorPkiProps = {},
  aggregatorProps: Partial<VectorAggregatorProps> = {},
): MonitoringChart {
  const chart = new Chart(Testing.app(), 'monitoring');
  const pki = new VectorPki(chart, 'Pki', pkiProps);
  const aggregator = new VectorAggregator(chart, 'Aggregator', {
    ...AGGREGATOR_PROPS,
    tls: pki.serverTls,
    ...aggregatorProps,
  });
  pki.addServer(aggregator);
  return { chart, pki, aggregator };
}

/** A source cluster: the client PKI, and the agent taking `clientPki.clientTls`. */
export function sourceChart(
  clientProps: Partial<VectorClientPkiProps> = {},
  agentProps: Partial<VectorAgentProps> = {},
): SourceChart {
  const chart = new Chart(Testing.app(), 'source');
  const clientPki = new VectorClientPki(chart, 'ClientPki', { clusterName: CLUSTER.name, ...clientProps });
  const agent = new VectorAgent(chart, 'Agent', { ...AGENT_PROPS, tls: clientPki.clientTls, ...agentProps });
  return { chart, clientPki, agent };
}

export function manifests(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

export function certificates(all: readonly Manifest[]): CertificateManifest[] {
  return all.filter((m): m is CertificateManifest => m.kind === 'Certificate');
}

export function issuers(all: readonly Manifest[]): IssuerManifest[] {
  return all.filter((m): m is IssuerManifest => m.kind === 'Issuer' || m.kind === 'ClusterIssuer');
}

/** The one object of this kind and name; fails unless there is exactly one. */
export function only(all: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = all.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

export function certificate(all: readonly Manifest[], name: string): CertificateManifest {
  return only(all, 'Certificate', name) as CertificateManifest;
}

/**
 * The issuer a Certificate names, found in the same output: a ClusterIssuer by name, an Issuer by
 * name in the Certificate's namespace (cert-manager looks nowhere else). Undefined when missing.
 */
export function issuerOf(all: readonly Manifest[], cert: CertificateManifest): IssuerManifest | undefined {
  const ref = cert.spec.issuerRef;
  const kind = ref.kind ?? 'Issuer';
  if ((ref.group ?? 'cert-manager.io') !== 'cert-manager.io') return undefined;
  return issuers(all).find(
    (i) =>
      i.kind === kind &&
      i.metadata.name === ref.name &&
      (kind === 'ClusterIssuer' || i.metadata.namespace === cert.metadata.namespace),
  );
}

/** The Vector config of the chart's one ConfigMap, parsed. */
export function vectorConfigOf(all: readonly Manifest[]): Record<string, unknown> {
  const text = only(all, 'ConfigMap').data?.['vector.yaml'];
  if (typeof text !== 'string') throw new Error('the ConfigMap has no vector.yaml');
  return parse(text) as Record<string, unknown>;
}

/** The message a construction throws, or a failure when it does not throw. */
export function errorOf(build: () => unknown): string {
  return thrownMessage(build);
}
