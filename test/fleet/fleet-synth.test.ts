import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import {
  type ClusterOutput,
  type Fleet,
  type MonitoringCluster,
  parseFleetYaml,
  synthesizeFleet,
} from '../../lib/fleet';
import { expectValidManifests } from '../helpers/k8s-schema';
import { expectRulesValid } from '../helpers/promtool';
import { checkWithVectorReference, itWithSharedValidator } from '../helpers/vector-reference';

/*
 * The example inventory (fleet.yaml), synthesized as `npm run synth` does: every cluster's objects pass the schemas,
 * every Vector config Vector's reference, every rule promtool, and the values one cluster needs from another arrive
 * from the inventory, not from a copy.
 */

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

const FLEET_FILE = resolve(__dirname, '..', '..', 'fleet.yaml');
const example = (): Fleet => parseFleetYaml(readFileSync(FLEET_FILE, 'utf8'), 'fleet.yaml');

let outputs: ClusterOutput[];
const output = (cluster: string) => outputs.find((o) => o.cluster === cluster) as ClusterOutput;
const manifests = (out: ClusterOutput): Manifest[] =>
  parseAllDocuments(out.files[`${out.cluster}.k8s.yaml`]).map((d) => d.toJS() as Manifest);
const ofKind = (cluster: string, kind: string) => manifests(output(cluster)).filter((m) => m.kind === kind);
const named = (cluster: string, kind: string, name: string) =>
  ofKind(cluster, kind).find((m) => m.metadata.name === name) as Manifest;

beforeAll(() => {
  outputs = synthesizeFleet(example(), 'fleet.yaml');
});

describe('the example fleet', () => {
  it('has a folder per cluster, in inventory order, each with its manifests and a kustomization listing them', () => {
    // The delivery objects' folder last: a name no cluster can have (see test/fleet/delivery.test.ts).
    expect(outputs.map((o) => o.cluster)).toEqual(['monitoring', 'management', 'dev', 'staging', '_flux']);
    for (const out of outputs) {
      const manifestFiles = Object.keys(out.files).filter((f) => f.endsWith('.k8s.yaml'));
      expect(manifestFiles).toEqual([`${out.cluster}.k8s.yaml`]);
      const kustomization = parseAllDocuments(out.files['kustomization.yaml'])[0].toJS();
      expect(kustomization).toEqual({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: manifestFiles,
      });
    }
    expect(Object.keys(output('dev').files).sort()).toEqual([
      'airflow-values.yaml',
      'dev.k8s.yaml',
      'kustomization.yaml',
      'prerequisites.yaml',
    ]);
  });

  it('passes the Kubernetes, cert-manager, prometheus-operator and Flux schemas in every folder', () => {
    for (const out of outputs) expectValidManifests(manifests(out));
  });

  itWithSharedValidator(
    "has Vector configs that Vector's reference accepts: agents, aggregators, events collectors and the Airflow sidecar",
    () => {
      const files = Object.fromEntries(outputs.map((o) => [`${o.cluster}.yaml`, o.files[`${o.cluster}.k8s.yaml`]]));
      const result = checkWithVectorReference(files);
      expect(result.problems).toEqual([]);
      expect(result.exitCode).toBe(0);
      // The monitoring cluster's aggregators and its own agents, one agent config and one Kubernetes events config
      // per source cluster, and dev's Airflow sidecar.
      expect(result.output).toMatch(/\b9 configs checked, 0 problems/);
    },
  );

  it('has alert rules that promtool accepts: agents, aggregators, the heartbeat and the certificate alerts', () => {
    const rules = outputs.flatMap((o) => ofKind(o.cluster, 'PrometheusRule'));
    expect(rules.map((r) => r.metadata.name).sort()).toEqual(
      [
        'vector-alerts',
        'vector-alerts',
        'vector-alerts',
        'vector-alerts',
        'vector-heartbeat-alerts',
        // Where certificates are issued: the monitoring cluster, and management and dev (over the copied CA);
        // staging pulls its certificate and has none.
        'vector-certificate-alerts',
        'vector-certificate-alerts',
        'vector-certificate-alerts',
      ].sort(),
    );
    for (const rule of rules) expectRulesValid(stringify({ groups: rule.spec?.groups }));
  });

  it('turns every feature on somewhere: log heartbeat everywhere, network heartbeat and status API, Airflow', () => {
    for (const source of ['management', 'dev', 'staging']) {
      expect(named(source, 'Deployment', 'vector-heartbeat'), source).toBeDefined();
      expect(ofKind(source, 'DaemonSet').map((d) => d.metadata.name)).toEqual(['vector-agent']);
      expect(ofKind(source, 'NetworkPolicy').length, source).toBeGreaterThan(2);
    }
    const deployments = ofKind('management', 'Deployment').map((d) => d.metadata.name);
    expect(deployments).toContain('http-heartbeat');
    expect(deployments).toContain('deployment-status-api');
    expect(ofKind('dev', 'ConfigMap').map((c) => c.metadata.name)).toContain('airflow-vector-capture-pod-template');
    expect(output('dev').files['airflow-values.yaml']).toMatch(/^podTemplate: \|/m);
    expect(ofKind('monitoring', 'StatefulSet').map((s) => s.metadata.name)).toEqual(['vector-aggregator']);
    expect(ofKind('monitoring', 'PrometheusRule').map((r) => r.metadata.name)).toContain('vector-heartbeat-alerts');
  });

  it('watches exactly the certificates each cluster issues, in VectorCertificateExpiring', () => {
    for (const cluster of ['monitoring', 'management', 'dev', 'staging']) {
      const rule = named(cluster, 'PrometheusRule', 'vector-certificate-alerts');
      const issued = ofKind(cluster, 'Certificate');
      if (issued.length === 0) {
        expect(rule, cluster).toBeUndefined();
        continue;
      }
      const expr = (rule?.spec as { groups: { rules: { expr: string; labels: Record<string, string> }[] }[] }).groups[0]
        .rules[0];
      expect(expr.labels.cluster).toBe(cluster);
      for (const c of issued) {
        expect(expr.expr, `${cluster}: ${c.metadata.namespace}/${c.metadata.name}`).toMatch(
          new RegExp(`exported_namespace="${c.metadata.namespace}", name=~"[^"]*\\b${c.metadata.name}\\b`),
        );
      }
    }
  });

  // kubectl (with its built-in kustomize) is not in Debian's archive; where it is installed, it builds every folder.
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!kubectl)('builds with `kubectl kustomize` into exactly the synthesized objects, per cluster', () => {
    const root = mkdtempSync(join(tmpdir(), 'fleet-kustomize-'));
    try {
      for (const out of outputs) {
        const dir = join(root, out.cluster);
        mkdirSync(dir);
        for (const [name, text] of Object.entries(out.files)) writeFileSync(join(dir, name), text);
        const built = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
        expect(built.stderr, out.cluster).toBe('');
        expect(built.status, out.cluster).toBe(0);
        const id = (m: Manifest) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
        const objects = parseAllDocuments(built.stdout).map((d) => d.toJS() as Manifest);
        expect(objects.map(id).sort(), out.cluster).toEqual(manifests(out).map(id).sort());
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is byte-identical when synthesized twice', () => {
    expect(synthesizeFleet(example(), 'fleet.yaml')).toEqual(outputs);
  });

  it('has stable names and no cdk8s labels', () => {
    for (const out of outputs) {
      expect(out.files[`${out.cluster}.k8s.yaml`]).not.toContain('cdk8s.io/');
      for (const m of manifests(out)) expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
  });
});

describe('values flow from the inventory, not from copies', () => {
  const withMonitoring = (change: (m: MonitoringCluster) => MonitoringCluster): ClusterOutput[] => {
    const fleet = example();
    return synthesizeFleet(
      {
        ...fleet,
        clusters: fleet.clusters.map((c) => (c.role === 'monitoring' ? change(c) : c)),
      },
      'fleet.yaml',
    );
  };
  const agentConfig = (outs: readonly ClusterOutput[], cluster: string) => {
    const out = outs.find((o) => o.cluster === cluster) as ClusterOutput;
    const configMap = manifests(out).find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'vector-agent');
    return parseAllDocuments(configMap?.data?.['vector.yaml'] ?? '')[0].toJS() as {
      sinks: Record<string, { routing?: { endpoints: string[] }; tls?: Record<string, unknown> }>;
    };
  };

  it("points every source cluster's agents at the aggregators' load balancer name and vector port, over mTLS", () => {
    for (const source of ['management', 'dev', 'staging']) {
      const sink = agentConfig(outputs, source).sinks.to_aggregators;
      expect(sink.routing?.endpoints, source).toEqual(['https://vector.monitoring.example.com:6000']);
      expect(sink.tls).toMatchObject({ verify_certificate: true, verify_hostname: true });
    }
    const moved = withMonitoring((m) => ({
      ...m,
      aggregator: { ...m.aggregator, hostname: 'logs.example.org', vectorPort: 7000 },
    }));
    for (const source of ['management', 'dev', 'staging']) {
      expect(agentConfig(moved, source).sinks.to_aggregators.routing?.endpoints).toEqual([
        'https://logs.example.org:7000',
      ]);
    }
    const certificate = manifests(moved[0]).find(
      (m) => m.kind === 'Certificate' && m.metadata.name === 'vector-aggregator-tls',
    );
    expect(certificate?.spec?.dnsNames).toContain('logs.example.org');
  });

  it("gives the source clusters that issue their own client certificate an Issuer over the monitoring cluster's CA Secret", () => {
    const ca = named('monitoring', 'Certificate', 'vector-ca');
    const secretName = (ca.spec as { secretName: string }).secretName;
    for (const source of ['management', 'dev']) {
      const issuers = ofKind(source, 'Issuer');
      expect(issuers.map((i) => (i.spec as { ca: { secretName: string } }).ca.secretName)).toEqual([secretName]);
    }
    // Staging's client certificate is issued in the monitoring cluster (clientCertificateIssuer: monitoringCluster).
    expect(ofKind('staging', 'Issuer')).toEqual([]);
    expect(named('monitoring', 'Certificate', 'vector-agent-staging-tls')).toBeDefined();
  });

  it("admits the source clusters' egress addresses, the load balancer's own and the cluster's own agents, and only those, at the vector port", () => {
    const policy = named('monitoring', 'NetworkPolicy', 'vector-aggregator');
    type Peer = { ipBlock?: { cidr: string }; namespaceSelector?: unknown; podSelector?: unknown };
    const ingress = (policy.spec as { ingress: { from: Peer[]; ports: { port: number }[] }[] }).ingress;
    const vectorRule = ingress.filter((rule) => rule.ports.some((p) => p.port === 6000));
    expect(vectorRule).toHaveLength(1);
    // A proxying load balancer (Hetzner's) connects from its own address; one that keeps client addresses, from the
    // source clusters'.
    expect(vectorRule[0].from.filter((peer) => peer.ipBlock).map((peer) => peer.ipBlock?.cidr)).toEqual([
      '10.20.0.0/24',
      '10.30.0.0/24',
      '10.40.0.0/24',
      '10.10.1.10/32',
    ]);
    expect(vectorRule[0].from.filter((peer) => !peer.ipBlock)).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vector-agent' } },
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/component': 'agent',
            'app.kubernetes.io/instance': 'vector-agent',
            'app.kubernetes.io/name': 'vector',
          },
        },
      },
    ]);
    // Source ranges would be ignored by Hetzner's controller and, where honoured, would drop proxied connections.
    const service = named('monitoring', 'Service', 'vector-aggregator-lb');
    expect(service.spec).not.toHaveProperty('loadBalancerSourceRanges');
    expect(service.metadata).toMatchObject({
      annotations: { 'load-balancer.hetzner.cloud/private-ipv4': '10.10.1.10' },
    });
  });

  it("lets each agent reach the aggregators' addresses and the external remote-write endpoint", () => {
    const policy = JSON.stringify(named('dev', 'NetworkPolicy', 'vector-agent').spec);
    expect(policy).toContain('10.10.1.10/32');
    expect(policy).toContain('10.10.1.12/32');
    const agent = agentConfig(outputs, 'dev') as unknown as { sinks: Record<string, { endpoint?: string }> };
    expect(Object.values(agent.sinks).map((s) => s.endpoint)).toContain(
      'https://prometheus.monitoring.example.com/api/v1/write',
    );
  });

  it("has one heartbeat interval for the log heartbeats, the aggregators' counter and the alert", () => {
    const fleet = example();
    const outs = synthesizeFleet({ ...fleet, heartbeatIntervalSeconds: 60 }, 'fleet.yaml');
    const dev = outs.find((o) => o.cluster === 'dev') as ClusterOutput;
    const script = manifests(dev).find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'vector-heartbeat');
    expect(script?.data?.['heartbeat.sh']).toContain('"interval_seconds":60');
    const monitoring = outs[0].files['monitoring.k8s.yaml'];
    // 2.5 intervals of 60 s.
    expect(monitoring).toMatch(/increase\(vector_heartbeat_total\{[^}]*\}\[2m30s\]\) > 0/);
    expect(monitoring).not.toMatch(/increase\(vector_heartbeat_total\{[^}]*\}\[5m\]\)/);
  });
});
