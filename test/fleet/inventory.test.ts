/**
 * Bad inventories: each is refused before anything is synthesized or written, with one error that names the file, the
 * cluster and the field of every problem and says what to change. The example fleet.yaml is the starting point, and
 * each test changes one thing in it (test/fleet/fixtures.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  checkFleet,
  type Fleet,
  FleetInventoryError,
  type MonitoringCluster,
  parseFleetYaml,
  type SourceCluster,
  synthesizeFleet,
} from '../../lib/fleet';
import {
  DEV,
  EXAMPLE_TEXT,
  exampleCluster,
  exampleData,
  exampleFleet,
  exampleYaml,
  MANAGEMENT,
  MONITORING,
  REMOVE,
  STAGING,
  TYPED_FLEET,
  type Changes,
} from './fixtures';

const FILE = 'inventories/fleet.yaml';

function inventoryError(run: () => unknown): FleetInventoryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FleetInventoryError);
    return error as FleetInventoryError;
  }
  throw new Error('expected a FleetInventoryError, but nothing was thrown');
}

/** The whole message an inventory error must have: the file, the count and one line per problem. */
const report = (...problems: string[]) =>
  [
    `${FILE}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}; nothing was written:`,
    ...problems.map((p) => `  - ${p}`),
  ].join('\n');

/** The example fleet with `changes`, through the YAML loader as `npm run synth` reads it. */
const yamlError = (changes: Changes) => inventoryError(() => parseFleetYaml(exampleYaml(changes), FILE)).message;
const textError = (text: string) => inventoryError(() => parseFleetYaml(text, FILE)).message;

const DNS_LABEL_RULE =
  'must be a DNS label: 1 to 63 lowercase letters, digits and "-", starting and ending alphanumeric';
const CLUSTER_NAME_RULE =
  'must be a DNS label of at most 51 characters: lowercase letters, digits and "-", starting and ending alphanumeric ' +
  '(a source cluster\'s agents present the client certificate "vector-agent.<name>", whose common name X.509 limits ' +
  'to 64 characters)';
const CIDR_RULE = 'use a CIDR block such as "10.0.0.0/16" or "2001:db8::/32"';
const URL_RULE = 'must be an http:// or https:// URL';
const PORT_RULE = 'must be a port from 1 to 65535';
const SECOND_MONITORING = exampleCluster(0, { name: 'monitoring-b' });

/**
 * Every field of T, optional ones included, with the option form of `false | {...}` fields: a fleet of this type sets
 * every field the documented interfaces have, so the schema cannot silently lack one.
 */
type EveryField<T> = T extends readonly (infer U)[]
  ? readonly EveryField<U>[]
  : T extends object
    ? { readonly [K in keyof T]-?: EveryField<Exclude<T[K], undefined | false>> }
    : T;

/** One of each scheduling field, every sub-field set (EveryField makes the compiler insist on each). */
const EVERY_TOLERATION = {
  key: 'dedicated',
  operator: 'Equal',
  value: 'monitoring',
  effect: 'NoExecute',
  tolerationSeconds: 300,
} as const;
const EVERY_SELECTOR = {
  matchLabels: { app: 'loki' },
  matchExpressions: [{ key: 'tier', operator: 'In', values: ['storage'] }],
} as const;
const EVERY_POD_TERM = {
  topologyKey: 'topology.kubernetes.io/zone',
  labelSelector: EVERY_SELECTOR,
  namespaces: ['monitoring'],
  namespaceSelector: EVERY_SELECTOR,
} as const;
const EVERY_NODE_TERM = {
  matchExpressions: [{ key: 'node.example.com/pool', operator: 'In', values: ['monitoring'] }],
  matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-1'] }],
} as const;
const EVERY_POD_RULES = {
  requiredDuringSchedulingIgnoredDuringExecution: [EVERY_POD_TERM],
  preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: EVERY_POD_TERM }],
} as const;
const EVERY_RESOURCES = { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } as const;
const EVERY_AGENT_SCHEDULING = {
  tolerations: [EVERY_TOLERATION],
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  priorityClassName: 'fleet-critical',
  resources: EVERY_RESOURCES,
} as const;

/** A standby monitoring cluster (nobody ships to it), so that `standby` is set; {@link RECEIVING} takes the logs. */
const EVERY_FIELD_MONITORING: EveryField<MonitoringCluster> = {
  name: 'spare',
  role: 'monitoring',
  standby: true,
  agent: {
    namespace: 'vector-node-agent',
    ...EVERY_AGENT_SCHEDULING,
    journald: { units: ['kubelet.service', 'crio.service'], journalDirectory: '/var/log/journal' },
    multiline: { languages: ['java', 'go'], startPattern: '^x', expireAfterMs: 1000, maxLines: 100 },
  },
  certManagerNamespace: 'cert-manager-system',
  environment: 'production',
  region: 'fsn1',
  apiServer: { cidrs: ['10.10.0.2/32'], port: 6443 },
  nodeCidrs: ['10.10.0.0/24'],
  prometheus: { namespace: 'prometheus', podLabels: { app: 'prometheus' }, ruleLabels: { release: 'prom' } },
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'coredns' } },
  networkPolicies: true,
  restartOnCertificateRenewal: true,
  logRate: { bytesPerSecondPerNode: 20_000, bytesPerSecond: 100_000 },
  nodeDiskBudgetBytes: 1_073_741_824,
  outageBudget: { lokiDownMinutes: 60, aggregatorDownMinutes: 30 },
  aggregator: {
    hostname: 'vector.example.com',
    addresses: ['10.10.1.10/32'],
    replicas: 4,
    vectorPort: 7000,
    loadBalancerAnnotations: { 'load-balancer.hetzner.cloud/location': 'fsn1' },
    nodeSelector: { 'node.example.com/pool': 'monitoring' },
    tolerations: [EVERY_TOLERATION],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [EVERY_NODE_TERM] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: EVERY_NODE_TERM }],
      },
      podAffinity: EVERY_POD_RULES,
      podAntiAffinity: EVERY_POD_RULES,
    },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: EVERY_SELECTOR,
        minDomains: 2,
        nodeAffinityPolicy: 'Honor',
        nodeTaintsPolicy: 'Honor',
        matchLabelKeys: ['pod-template-hash'],
      },
    ],
    resources: EVERY_RESOURCES,
    autoscaling: { minReplicas: 3, maxReplicas: 6, cpuUtilization: 60, memoryUtilization: 75 },
    storageSize: '20Gi',
  },
  loki: {
    endpoint: 'http://loki.monitoring.svc:3100',
    pods: { namespace: 'monitoring', podLabels: { app: 'loki' }, targetPort: 3100 },
    external: { endpoint: 'https://loki.example.com' },
  },
  remoteWrite: {
    endpoint: 'http://prometheus.monitoring.svc:9090/api/v1/write',
    pods: { namespace: 'monitoring', podLabels: { app: 'prometheus' }, targetPort: 9090 },
    external: { endpoint: 'https://prometheus.example.com/api/v1/write', cidrs: ['10.10.1.12/32'] },
  },
  certificateDistribution: {
    method: 'externalSecrets',
    secretStore: { name: 'vault', kind: 'ClusterSecretStore' },
    remoteKeyPrefix: 'fleet/spare/',
    refreshInterval: '30m',
  },
};

/** The aggregator's fields less the one each cluster cannot have beside the other: a count, or an autoscaler. */
const without = <T extends object>(value: T, key: keyof T): T => {
  const copy = { ...value };
  delete copy[key];
  return copy;
};
const AUTOSCALED = without(EVERY_FIELD_MONITORING.aggregator, 'replicas');
const FIXED = without(EVERY_FIELD_MONITORING.aggregator, 'autoscaling');
const SPARE: MonitoringCluster = { ...EVERY_FIELD_MONITORING, aggregator: AUTOSCALED };
const RECEIVING: MonitoringCluster = {
  ...EVERY_FIELD_MONITORING,
  name: 'monitoring',
  standby: false,
  aggregator: FIXED,
};

const EVERY_FIELD_SOURCE: EveryField<SourceCluster> = {
  name: 'dev',
  role: 'source',
  monitoringCluster: 'monitoring',
  environment: 'development',
  region: 'fsn1',
  apiServer: { cidrs: ['10.30.0.2/32'], port: 6443 },
  nodeCidrs: ['10.30.0.0/24'],
  prometheus: { namespace: 'prometheus', podLabels: { app: 'prometheus' }, ruleLabels: { release: 'prom' } },
  dns: { cidrs: ['169.254.20.10/32'] },
  networkPolicies: true,
  restartOnCertificateRenewal: true,
  logRate: { bytesPerSecondPerNode: 50_000, bytesPerSecond: 400_000 },
  nodeDiskBudgetBytes: 536_870_912,
  egressCidrs: ['10.30.0.0/24'],
  remoteWrite: { tokenSecret: { name: 'remote-write', key: 'token' } },
  logHeartbeat: true,
  kubernetesEvents: true,
  httpHeartbeat: { ingressNamespaces: ['ingress-nginx'], maxBodyBytes: 4096 },
  deploymentStatusApi: {
    ingressNamespaces: ['ingress-nginx'],
    authTokenSecret: { name: 'status-token', key: 'token' },
    namespaces: ['shop'],
  },
  airflow: {
    airflowImage: 'apache/airflow:2.10.5',
    namespace: 'airflow',
    sidecarMode: 'native',
    helmReleaseName: 'airflow',
    lokiTokenSecret: { name: 'loki-push', key: 'token' },
  },
  agent: {
    ...EVERY_AGENT_SCHEDULING,
    journald: { units: ['kubelet.service'], journalDirectory: '/run/log/journal' },
    multiline: { languages: ['python'], startPattern: String.raw`^\d{4}-`, expireAfterMs: 3000, maxLines: 200 },
  },
  clientCertificateIssuer: 'monitoringCluster',
  certificateDistribution: {
    method: 'externalSecrets',
    secretStore: { name: 'vault-dev', kind: 'SecretStore' },
    refreshInterval: '2h',
  },
  migration: {
    phase: 'cutover',
    promtail: { namespace: 'logging', name: 'promtail' },
    nodeExporter: { namespace: 'monitoring', name: 'prometheus-node-exporter', job: 'node-exporter' },
    sideBySide: { startedAt: '2026-12-01T09:00:00Z', completedAt: '2026-12-03T09:00:00+00:00' },
  },
};

const EVERY_FIELD_FLEET: EveryField<Omit<Fleet, 'clusters'>> = {
  monitoringCluster: 'monitoring',
  heartbeatIntervalSeconds: 60,
  delivery: {
    tool: 'flux',
    repository: { url: 'ssh://git@github.com/example/fleet.git', ref: { tag: 'v1.0.0' }, secretName: 'fleet-git' },
    path: 'deploy/dist',
    managementCluster: 'monitoring',
    namespace: 'flux',
    interval: '5m',
    timeout: '15m',
  },
};
const EVERY_FIELD: Fleet = { ...EVERY_FIELD_FLEET, clusters: [RECEIVING, SPARE, EVERY_FIELD_SOURCE] };

describe('good inventories', () => {
  it('accepts every field the Fleet interfaces document, and synthesizes with all of them set', () => {
    expect(checkFleet(EVERY_FIELD, FILE)).toEqual(EVERY_FIELD);
    const outputs = synthesizeFleet(EVERY_FIELD, FILE);
    expect(outputs.map((o) => o.cluster)).toEqual(['monitoring', 'spare', 'dev', '_flux']);
    const dev = outputs[2].files['dev.k8s.yaml'];
    expect(dev).toContain('https://vector.example.com:7000');
    // The monitoring cluster's DNS pods, and a node-local DNS cache for the source cluster's DNS rules.
    expect(outputs[0].files['monitoring.k8s.yaml']).toContain('k8s-app: coredns');
    expect(dev).toContain('cidr: 169.254.20.10/32');
    // The Airflow sidecar's Loki token, from the Secret the inventory names.
    expect(dev).toContain('secretName: loki-push');
    // The client certificate, issued in the monitoring cluster, pulled from the source cluster's own store.
    expect(outputs[0].files['monitoring.k8s.yaml']).toContain('remoteKey: fleet/spare/vector-agent-dev-tls');
    expect(dev).toContain('key: fleet/spare/vector-agent-dev-tls');
    expect(dev).toContain('name: vault-dev');
    // Capacity: the Loki buffer for 60 minutes of dev's and its own 500000 B/s over 4 replicas (450000000 bytes,
    // 430 MiB), the volume as given, and an HPA on the spare; dev's agents keep 30 minutes of 50000 B/s (90000000
    // bytes), raised to Vector's minimum.
    expect(outputs[0].files['monitoring.k8s.yaml']).toContain('max_size: 450887680');
    expect(outputs[0].files['monitoring.k8s.yaml']).toContain('storage: 20Gi');
    expect(outputs[1].files['spare.k8s.yaml']).toContain('kind: HorizontalPodAutoscaler');
    expect(outputs[1].files['spare.k8s.yaml']).toContain('averageUtilization: 75');
    expect(dev).toContain('max_size: 268435488');
  });

  it('loads the example fleet.yaml with every cluster and field as written', () => {
    const fleet = parseFleetYaml(EXAMPLE_TEXT, 'fleet.yaml');
    expect(fleet).toEqual(parse(EXAMPLE_TEXT));
    expect(fleet.clusters.map((c) => `${c.name}:${c.role}`)).toEqual([
      'monitoring:monitoring',
      'management:source',
      'dev:source',
      'staging:source',
    ]);
  });

  it('accepts an inventory written in TypeScript, and synthesizes it', () => {
    expect(checkFleet(TYPED_FLEET, 'fleet.ts')).toEqual(TYPED_FLEET);
    expect(synthesizeFleet(TYPED_FLEET, 'fleet.ts').map((o) => o.cluster)).toEqual(['monitoring', 'dev']);
  });

  it('accepts two monitoring clusters when monitoringCluster names the one to ship to', () => {
    const fleet = parseFleetYaml(
      exampleYaml({ monitoringCluster: 'monitoring-b', 'clusters.0.standby': true, 'clusters.4': SECOND_MONITORING }),
      FILE,
    );
    expect(fleet.monitoringCluster).toBe('monitoring-b');
    expect(synthesizeFleet(fleet, FILE).map((o) => o.cluster)).toEqual([
      'monitoring',
      'management',
      'dev',
      'staging',
      'monitoring-b',
      '_flux',
    ]);
  });

  it('accepts a source cluster without remoteWrite when the monitoring cluster has no remoteWrite.external', () => {
    expect(() => checkFleet(exampleData({ 'clusters.0.remoteWrite.external': REMOVE }), FILE)).not.toThrow();
  });
});

describe('cluster names and roles', () => {
  it('refuses an unknown role, and a missing one', () => {
    expect(yamlError({ 'clusters.2.role': 'sorce' })).toBe(
      report(`${DEV}: role: "sorce": must be source or monitoring`),
    );
    expect(yamlError({ 'clusters.2.role': REMOVE })).toBe(report(`${DEV}: role: is required: source or monitoring`));
  });

  it('refuses a cluster that is not a mapping', () => {
    expect(yamlError({ 'clusters.2': 'dev' })).toBe(
      report('clusters[2]: "dev": must be a mapping with role source or monitoring'),
    );
  });

  it('reports a duplicate name beside a malformed field, in one error', () => {
    expect(yamlError({ 'clusters.2.name': 'management', 'clusters.3.egressCidrs.0': '10.40.0.1/24' })).toBe(
      report(
        `${STAGING}: egressCidrs[0]: "10.40.0.1/24": the address has bits set beyond the /24 prefix; write the network address`,
        'cluster "management" (clusters[2]): name: "management" is the name of clusters[1] already; cluster names ' +
          'are unique (they name dist/<cluster>/ and the cluster label)',
      ),
    );
  });

  it('refuses a duplicate cluster name, naming the first cluster of that name', () => {
    const error = inventoryError(() => parseFleetYaml(exampleYaml({ 'clusters.2.name': 'management' }), FILE));
    expect(error.message).toBe(
      report(
        'cluster "management" (clusters[2]): name: "management" is the name of clusters[1] already; cluster names ' +
          'are unique (they name dist/<cluster>/ and the cluster label)',
      ),
    );
    expect(error.file).toBe(FILE);
    expect(error.problems).toEqual([
      {
        where: 'cluster "management" (clusters[2])',
        field: 'name',
        message:
          '"management" is the name of clusters[1] already; cluster names are unique (they name dist/<cluster>/ and the cluster label)',
      },
    ]);
  });

  it('refuses a cluster name that is not a DNS label of at most 51 characters: uppercase, too long, empty, missing', () => {
    expect(yamlError({ 'clusters.2.name': 'Dev' })).toBe(
      report(`cluster "Dev" (clusters[2]): name: "Dev": ${CLUSTER_NAME_RULE}`),
    );
    const long = 'a'.repeat(52);
    expect(yamlError({ 'clusters.2.name': long })).toBe(
      report(`cluster "${long}" (clusters[2]): name: "${long}": ${CLUSTER_NAME_RULE}`),
    );
    // Monitoring clusters too, so that a cluster can change role without a rename.
    expect(yamlError({ 'clusters.0.name': long })).toBe(
      report(`cluster "${long}" (clusters[0]): name: "${long}": ${CLUSTER_NAME_RULE}`),
    );
    expect(() => synthesizeFleet(exampleFleet({ 'clusters.2.name': 'a'.repeat(51) }), FILE)).not.toThrow();
    expect(yamlError({ 'clusters.2.name': '' })).toBe(report(`clusters[2]: name: "": ${CLUSTER_NAME_RULE}`));
    expect(yamlError({ 'clusters.2.name': REMOVE })).toBe(report('clusters[2]: name: is required'));
  });
});

describe('the monitoring cluster', () => {
  it('refuses an inventory without a monitoring cluster', () => {
    expect(yamlError({ 'clusters.0': REMOVE })).toBe(
      report(
        'clusters: no cluster has role monitoring: add the cluster that runs the aggregators, Loki and Prometheus',
      ),
    );
  });

  it('refuses two monitoring clusters without monitoringCluster', () => {
    const several =
      'monitoringCluster: several clusters have role monitoring (monitoring, monitoring-b): name the one this ' +
      "cluster ships to, or set the fleet's monitoringCluster";
    expect(yamlError({ 'clusters.4': SECOND_MONITORING })).toBe(
      report(`${MANAGEMENT}: ${several}`, `${DEV}: ${several}`, `${STAGING}: ${several}`),
    );
  });

  it('refuses a monitoringCluster that names a source cluster, or no cluster at all', () => {
    expect(
      yamlError({ 'clusters.4': { ...(SECOND_MONITORING as object), standby: true }, monitoringCluster: 'dev' }),
    ).toBe(
      report(
        'fleet: monitoringCluster: "dev" is not a cluster with role monitoring: name one of monitoring, monitoring-b',
      ),
    );
    expect(
      yamlError({ 'clusters.4': { ...(SECOND_MONITORING as object), standby: true }, monitoringCluster: 'prod' }),
    ).toBe(
      report(
        'fleet: monitoringCluster: "prod" is not a cluster of the inventory: name one of monitoring, monitoring-b',
      ),
    );
    expect(yamlError({ monitoringCluster: 'prod' })).toBe(
      report('fleet: monitoringCluster: "prod" is not a cluster of the inventory: name one of monitoring'),
    );
    expect(yamlError({ monitoringCluster: 'Prod' })).toBe(
      report(`fleet: monitoringCluster: "Prod": ${DNS_LABEL_RULE}`),
    );
  });

  it('refuses Airflow on a source cluster when the monitoring cluster has no loki.external', () => {
    expect(yamlError({ 'clusters.0.loki.external': REMOVE })).toBe(
      report(
        `${DEV}: airflow: Airflow task pods push to Loki directly, and the monitoring cluster "monitoring" has no ` +
          'loki.external endpoint: add it there, or set airflow: false',
      ),
    );
  });

  it('refuses remoteWrite on a source cluster when the monitoring cluster has no remoteWrite.external', () => {
    expect(yamlError({ 'clusters.0.remoteWrite.external': REMOVE, 'clusters.3.remoteWrite': {} })).toBe(
      report(
        `${STAGING}: remoteWrite: the monitoring cluster "monitoring" has no remoteWrite.external endpoint for ` +
          'source clusters: add it there, or set remoteWrite: false',
      ),
    );
  });
});

describe('fields', () => {
  it('refuses a missing required field: aggregator.hostname, egressCidrs, loki.endpoint, clusters', () => {
    expect(yamlError({ 'clusters.0.aggregator.hostname': REMOVE })).toBe(
      report(`${MONITORING}: aggregator.hostname: is required`),
    );
    expect(yamlError({ 'clusters.2.egressCidrs': REMOVE })).toBe(report(`${DEV}: egressCidrs: is required`));
    expect(yamlError({ 'clusters.0.loki.endpoint': REMOVE })).toBe(report(`${MONITORING}: loki.endpoint: is required`));
    expect(yamlError({ clusters: REMOVE })).toBe(report('fleet: clusters: is required'));
    expect(yamlError({ 'clusters.2.airflow': {} })).toBe(report(`${DEV}: airflow.airflowImage: is required`));
  });

  it('refuses a malformed CIDR: no prefix, not an address, host bits set (IPv4 and IPv6)', () => {
    expect(
      yamlError({ 'clusters.2.egressCidrs': ['10.30.0.0', 'nat-gateway/32', '10.0.0.1/24', '2001:db8::1/32'] }),
    ).toBe(
      report(
        `${DEV}: egressCidrs[0]: "10.30.0.0": ${CIDR_RULE}`,
        `${DEV}: egressCidrs[1]: "nat-gateway/32": ${CIDR_RULE}`,
        `${DEV}: egressCidrs[2]: "10.0.0.1/24": the address has bits set beyond the /24 prefix; write the network address`,
        `${DEV}: egressCidrs[3]: "2001:db8::1/32": the address has bits set beyond the /32 prefix; write the network address`,
      ),
    );
    expect(yamlError({ 'clusters.0.aggregator.addresses': ['10.10.1.10/33'] })).toBe(
      report(`${MONITORING}: aggregator.addresses[0]: "10.10.1.10/33": ${CIDR_RULE}`),
    );
    expect(() => parseFleetYaml(exampleYaml({ 'clusters.2.egressCidrs': ['2001:db8::/32'] }), FILE)).not.toThrow();
  });

  it('refuses a dns that is neither pods nor CIDRs, naming the field inside it', () => {
    expect(yamlError({ 'clusters.2.dns': 'kube-dns' })).toBe(
      report(
        `${DEV}: dns: "kube-dns": must be a mapping: { namespace, podLabels } for DNS pods, or { cidrs } for a node-local DNS cache`,
      ),
    );
    expect(yamlError({ 'clusters.2.dns': { cidrs: ['169.254.20.10'] } })).toBe(
      report(`${DEV}: dns.cidrs[0]: "169.254.20.10": ${CIDR_RULE}`),
    );
    expect(yamlError({ 'clusters.2.dns': { cidr: ['169.254.20.10/32'] } })).toBe(
      report(`${DEV}: dns.cidrs: is required`, `${DEV}: dns.cidr: unknown key (did you mean "cidrs"?)`),
    );
  });

  it('refuses an empty CIDR list', () => {
    expect(yamlError({ 'clusters.2.egressCidrs': [] })).toBe(
      report(`${DEV}: egressCidrs: give at least one CIDR block`),
    );
    expect(yamlError({ 'clusters.0.remoteWrite.external.cidrs': [] })).toBe(
      report(`${MONITORING}: remoteWrite.external.cidrs: give at least one CIDR block`),
    );
  });

  it('refuses a port out of range or not a whole number', () => {
    for (const port of [0, 65536, 6443.5]) {
      expect(yamlError({ 'clusters.2.apiServer.port': port })).toBe(
        report(`${DEV}: apiServer.port: ${port}: ${PORT_RULE}`),
      );
    }
    expect(yamlError({ 'clusters.0.aggregator.vectorPort': 70000 })).toBe(
      report(`${MONITORING}: aggregator.vectorPort: 70000: ${PORT_RULE}`),
    );
  });

  it('refuses a URL that is not http or https', () => {
    expect(yamlError({ 'clusters.0.loki.endpoint': 'ftp://loki-gateway.monitoring.svc' })).toBe(
      report(`${MONITORING}: loki.endpoint: "ftp://loki-gateway.monitoring.svc": ${URL_RULE}`),
    );
    expect(yamlError({ 'clusters.0.remoteWrite.external.endpoint': 'prometheus.monitoring.example.com' })).toBe(
      report(`${MONITORING}: remoteWrite.external.endpoint: "prometheus.monitoring.example.com": ${URL_RULE}`),
    );
  });

  it('refuses an unknown key at the top level, in a cluster and nested, with a did-you-mean hint', () => {
    expect(yamlError({ monitoringClustr: 'monitoring' })).toBe(
      report('fleet: monitoringClustr: unknown key (did you mean "monitoringCluster"?)'),
    );
    expect(yamlError({ 'clusters.2.egresCidrs': ['10.30.0.0/24'] })).toBe(
      report(`${DEV}: egresCidrs: unknown key (did you mean "egressCidrs"?)`),
    );
    expect(yamlError({ 'clusters.0.aggregator.hostnme': 'vector.example.com' })).toBe(
      report(`${MONITORING}: aggregator.hostnme: unknown key (did you mean "hostname"?)`),
    );
    expect(yamlError({ 'clusters.2.airflow.sidecarMod': 'native' })).toBe(
      report(`${DEV}: airflow.sidecarMod: unknown key (did you mean "sidecarMode"?)`),
    );
  });

  it('offers only the keys of the mapping in question, never the unknown key itself', () => {
    // `hostname` is a key of aggregator, not of the cluster: no hint rather than `did you mean "hostname"`.
    expect(yamlError({ 'clusters.0.hostname': 'vector.monitoring.example.com' })).toBe(
      report(`${MONITORING}: hostname: unknown key`),
    );
    expect(yamlError({ 'clusters.0.aggregator.endpont': 'x' })).toBe(
      report(`${MONITORING}: aggregator.endpont: unknown key`),
    );
    // A source cluster has no aggregator; the monitoring cluster's key is not offered to it.
    expect(yamlError({ 'clusters.2.aggregatr': {} })).toBe(report(`${DEV}: aggregatr: unknown key`));
    expect(yamlError({ heartbeatInterval: 60 })).toBe(report('fleet: heartbeatInterval: unknown key'));
  });

  it('refuses values of the wrong type, saying what was expected and what was given', () => {
    expect(
      yamlError({
        heartbeatIntervalSeconds: '120',
        'clusters.0.aggregator.replicas': 'three',
        'clusters.2.nodeCidrs': '10.30.0.0/24',
        'clusters.2.logHeartbeat': 'yes',
        'clusters.2.apiServer.port': '6443',
        'clusters.0.loki.pods.podLabels.tier': 3,
      }),
    ).toBe(
      report(
        'fleet: heartbeatIntervalSeconds: "120": must be a number, not a string',
        `${MONITORING}: aggregator.replicas: "three": must be a number, not a string`,
        `${MONITORING}: loki.pods.podLabels.tier: 3: must be a string, not a number`,
        `${DEV}: apiServer.port: "6443": must be a number, not a string`,
        `${DEV}: nodeCidrs: "10.30.0.0/24": must be a list, not a string`,
        `${DEV}: logHeartbeat: "yes": must be true or false, not a string`,
      ),
    );
    expect(yamlError({ clusters: { monitoring: {} } })).toBe(report('fleet: clusters: must be a list, not a mapping'));
    expect(inventoryError(() => checkFleet(null, FILE)).message).toBe(report('fleet: must be a mapping, not null'));
  });

  it('explains a feature option that is neither false nor a mapping, and the problems inside one', () => {
    expect(yamlError({ 'clusters.2.remoteWrite': true })).toBe(
      report(`${DEV}: remoteWrite: true: must be false (off) or a mapping of its options`),
    );
    expect(yamlError({ 'clusters.2.airflow.sidecarMode': 'sidecar' })).toBe(
      report(`${DEV}: airflow.sidecarMode: "sidecar": must be "container" or "native"`),
    );
    expect(yamlError({ 'clusters.1.deploymentStatusApi.ingressNamespaces': [] })).toBe(
      report(`${MANAGEMENT}: deploymentStatusApi.ingressNamespaces: give at least one namespace`),
    );
    expect(yamlError({ 'clusters.1.deploymentStatusApi.authTokenSecret.key': '' })).toBe(
      report(`${MANAGEMENT}: deploymentStatusApi.authTokenSecret.key: "": must not be empty`),
    );
  });

  it('refuses a heartbeat interval that is not a whole number of seconds, or under one', () => {
    expect(yamlError({ heartbeatIntervalSeconds: 0.5 })).toBe(
      report('fleet: heartbeatIntervalSeconds: 0.5: must be a whole number of seconds'),
    );
    expect(yamlError({ heartbeatIntervalSeconds: 0 })).toBe(
      report('fleet: heartbeatIntervalSeconds: 0: must be at least 1 second'),
    );
    // The aggregators' counter takes at most a day; the inventory says so itself, with the fleet-level field.
    expect(yamlError({ heartbeatIntervalSeconds: 100000 })).toBe(
      report('fleet: heartbeatIntervalSeconds: 100000: must be at most 86400 seconds (a day)'),
    );
  });

  it('reports every problem of every cluster in one error, with their count', () => {
    const error = inventoryError(() =>
      parseFleetYaml(
        exampleYaml({
          monitoringClustr: 'monitoring',
          'clusters.0.aggregator.hostname': REMOVE,
          'clusters.2.egressCidrs': ['10.0.0.1/24'],
          'clusters.3.role': 'sink',
        }),
        FILE,
      ),
    );
    expect(error.message).toBe(
      report(
        `${MONITORING}: aggregator.hostname: is required`,
        `${DEV}: egressCidrs[0]: "10.0.0.1/24": the address has bits set beyond the /24 prefix; write the network address`,
        `${STAGING}: role: "sink": must be source or monitoring`,
        'fleet: monitoringClustr: unknown key (did you mean "monitoringCluster"?)',
      ),
    );
    expect(error.problems.map((p) => `${p.where} ${p.field}`)).toEqual([
      `${MONITORING} aggregator.hostname`,
      `${DEV} egressCidrs[0]`,
      `${STAGING} role`,
      'fleet monitoringClustr',
    ]);
  });
});

describe('YAML problems', () => {
  it('refuses invalid YAML syntax, at its line and column', () => {
    expect(textError('clusters:\n  - name: dev\n   role: source\n')).toBe(
      report('line 3, column 1: not valid YAML: Sequence item without - indicator'),
    );
    expect(textError('clusters: [\n')).toBe(
      report(
        'line 2, column 1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ),
    );
  });

  it('refuses a duplicate key, naming it', () => {
    const text = EXAMPLE_TEXT.replace('    region: fsn1\n', '    region: fsn1\n    region: nbg1\n');
    const line = text.split('\n').indexOf('    region: nbg1') + 1;
    expect(textError(text)).toBe(
      report(`line ${line}, column 5: region: this key appears twice in the same mapping: keep one`),
    );
  });

  it('refuses a second YAML document', () => {
    expect(textError(`${EXAMPLE_TEXT}---\nclusters: []\n`)).toBe(
      report(
        `line ${EXAMPLE_TEXT.split('\n').length}, column 1: a second YAML document starts here ("---"): the inventory is one document`,
      ),
    );
  });

  it('refuses a top-level list, a single value, an empty file and a file of comments', () => {
    const mapping = 'write a mapping with the clusters under a top-level `clusters:` key (see fleet.yaml)';
    expect(textError('- name: monitoring\n  role: monitoring\n')).toBe(
      report(`fleet: the file holds a list: ${mapping}`),
    );
    expect(textError('monitoring\n')).toBe(report(`fleet: the file holds a single value: ${mapping}`));
    expect(textError('')).toBe(report(`fleet: the file is empty: ${mapping}`));
    expect(textError('# clusters to come\n')).toBe(report(`fleet: the file is empty: ${mapping}`));
  });
});

describe('synthesizeFleet', () => {
  it('refuses a bad inventory with the same error as the loader', () => {
    const bad = exampleFleet({ 'clusters.2.name': 'management' });
    expect(inventoryError(() => synthesizeFleet(bad, FILE)).message).toBe(
      inventoryError(() => checkFleet(bad, FILE)).message,
    );
  });

  it('checks the images and body sizes the constructs would refuse, naming the inventory field', () => {
    expect(yamlError({ 'clusters.2.airflow.airflowImage': 'apache/airflow' })).toBe(
      report(
        `${DEV}: airflow.airflowImage: "apache/airflow": pin the image to an exact version tag or digest, e.g. ` +
          '"apache/airflow:2.10.5"',
      ),
    );
    expect(yamlError({ 'clusters.1.httpHeartbeat.maxBodyBytes': 2147483648 })).toBe(
      report(
        `${MANAGEMENT}: httpHeartbeat.maxBodyBytes: 2147483648: must be at most 1073741824 (1 GiB), the server's limit`,
      ),
    );
  });

  it('reports a construct error inside a cluster with the file, the cluster and the construct path', () => {
    const badKey = { 'clusters.1.deploymentStatusApi.authTokenSecret.key': 'my token' };
    const error = inventoryError(() => synthesizeFleet(exampleFleet(badKey), FILE));
    expect(error.message).toBe(report(`${MANAGEMENT}: ${BAD_KEY}`));
    // The loader accepts it: only the construct knows which Secret keys are valid.
    expect(() => checkFleet(exampleData(badKey), FILE)).not.toThrow();
  });
});

const BAD_KEY =
  'management/deployment-status-api: invalid authTokenSecret.key "my token": a Secret key: letters, digits, "-", "_" and "."';

describe('the app (build/apps/main.js)', () => {
  const ROOT = resolve(__dirname, '..', '..');
  const fresh = () => mkdtempSync(join(tmpdir(), 'fleet-app-'));

  /** Runs the app in `cwd` with FLEET_FILE (unset when undefined) and CDK8S_OUTDIR. */
  function runApp(cwd: string, fleetFile: string | undefined, outdir: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir };
    if (fleetFile === undefined) delete env.FLEET_FILE;
    else env.FLEET_FILE = fleetFile;
    return spawnSync('node', [join(ROOT, 'build', 'apps', 'main.js')], { cwd, env, encoding: 'utf8' });
  }

  /** Every file under `dir`, relative path to bytes. */
  function tree(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files[relative(dir, path)] = readFileSync(path).toString('base64');
    }
    return files;
  }

  /** A folder holding `out/`, the output of the example fleet, as a previous good run left it. */
  function previousGoodOutput() {
    const dir = fresh();
    writeFileSync(join(dir, 'good.yaml'), EXAMPLE_TEXT);
    const good = runApp(dir, join(dir, 'good.yaml'), join(dir, 'out'));
    expect(good.status, good.stderr).toBe(0);
    return { dir, outdir: join(dir, 'out'), before: tree(join(dir, 'out')) };
  }

  it('writes <outdir>/<cluster>/ for every cluster, with a kustomization and what synthesizeFleet gives', () => {
    const dir = fresh();
    const result = runApp(ROOT, join(ROOT, 'fleet.yaml'), join(dir, 'out'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['_flux', 'dev', 'management', 'monitoring', 'staging']);
    const expected = synthesizeFleet(parseFleetYaml(EXAMPLE_TEXT, 'fleet.yaml'), 'fleet.yaml');
    for (const { cluster, files } of expected) {
      expect(readdirSync(join(dir, 'out', cluster)).sort()).toEqual(Object.keys(files).sort());
      expect(Object.keys(files)).toContain('kustomization.yaml');
      expect(parse(readFileSync(join(dir, 'out', cluster, 'kustomization.yaml'), 'utf8'))).toMatchObject({
        kind: 'Kustomization',
        resources: [`${cluster}.k8s.yaml`],
      });
      for (const [name, text] of Object.entries(files)) {
        expect(readFileSync(join(dir, 'out', cluster, name), 'utf8'), `${cluster}/${name}`).toBe(text);
      }
    }
    expect(readdirSync(dir)).toEqual(['out']);
  }, 60_000);

  it('exits 1 on a bad inventory, says why on stderr, and leaves the previous output byte for byte', () => {
    const { dir, outdir, before } = previousGoodOutput();
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(
      badFile,
      exampleYaml({ 'clusters.2.egressCidrs': ['10.0.0.1/24'], 'clusters.0.aggregator.hostnme': 'x' }),
    );
    const result = runApp(dir, badFile, outdir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `${badFile}: 2 problems; nothing was written:`,
        `  - ${MONITORING}: aggregator.hostnme: unknown key (did you mean "hostname"?)`,
        `  - ${DEV}: egressCidrs[0]: "10.0.0.1/24": the address has bits set beyond the /24 prefix; write the network address`,
        '',
      ].join('\n'),
    );
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'good.yaml', 'out']);
  }, 60_000);

  it('leaves the previous output alone when a cluster fails to synthesize', () => {
    const { dir, outdir, before } = previousGoodOutput();
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(badFile, exampleYaml({ 'clusters.1.deploymentStatusApi.authTokenSecret.key': 'my token' }));
    const result = runApp(dir, badFile, outdir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${badFile}: 1 problem; nothing was written:\n  - ${MANAGEMENT}: ${BAD_KEY}\n`);
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(dir).filter((name) => name.startsWith('.synth-'))).toEqual([]);
  }, 60_000);

  it('quotes a 1.1 MB value cut to its start and length, naming the field, through a pipe', () => {
    const dir = fresh();
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(badFile, exampleYaml({ 'clusters.2.region': 'x'.repeat(1_100_000) }));
    const result = runApp(dir, badFile, join(dir, 'out'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `${badFile}: 1 problem; nothing was written:\n  - ${DEV}: region: "${'x'.repeat(60)}…" (1100000 characters): ` +
        'use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit\n',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  }, 60_000);

  it('writes a report longer than a pipe buffer whole before it exits', () => {
    const dir = fresh();
    const badFile = join(dir, 'bad.yaml');
    // 5000 CIDRs with host bits set: some 600 KB of report, where exiting at once used to stop after about 200 KB.
    const cidrs = Array.from({ length: 5000 }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.1/24`);
    writeFileSync(badFile, exampleYaml({ 'clusters.2.egressCidrs': cidrs }));
    const result = runApp(dir, badFile, join(dir, 'out'));
    expect(result.status).toBe(1);
    const lines = cidrs.map(
      (cidr, i) =>
        `  - ${DEV}: egressCidrs[${i}]: "${cidr}": the address has bits set beyond the /24 prefix; write the network address`,
    );
    expect(result.stderr.length).toBeGreaterThan(500_000);
    expect(result.stderr).toBe(`${badFile}: 5000 problems; nothing was written:\n${lines.join('\n')}\n`);
  }, 60_000);

  it('keeps dist/ when `cdk8s synth` fails, although the CLI deletes its output folder first (run through the CLI)', () => {
    const dir = fresh();
    // The repository's cdk8s.yaml, build script and compiled app, in a folder of their own (the script builds the
    // repository's own build/, up to date here, so it has nothing to do).
    writeFileSync(join(dir, 'cdk8s.yaml'), readFileSync(join(ROOT, 'cdk8s.yaml')));
    symlinkSync(join(ROOT, 'scripts'), join(dir, 'scripts'));
    mkdirSync(join(dir, 'build'));
    for (const part of ['apps', 'lib']) symlinkSync(join(ROOT, 'build', part), join(dir, 'build', part));
    const cli = (fleet: string) => {
      writeFileSync(join(dir, 'fleet.yaml'), fleet);
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.FLEET_FILE;
      delete env.CDK8S_OUTDIR;
      return spawnSync('node', [join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
    };
    const good = cli(EXAMPLE_TEXT);
    expect(good.status, good.stderr).toBe(0);
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['_flux', 'dev', 'management', 'monitoring', 'staging']);
    const before = tree(join(dir, 'dist'));
    expect(tree(join(dir, 'build', 'cdk8s-synth'))).toEqual(before);

    const bad = cli(exampleYaml({ 'clusters.2.egressCidrs': ['10.0.0.1/24'] }));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('egressCidrs[0]: "10.0.0.1/24": the address has bits set beyond the /24 prefix');
    expect(tree(join(dir, 'dist'))).toEqual(before);
  }, 120_000);

  it("refuses, inside a Git work tree, to write elsewhere than the delivery's path, and writes nothing", () => {
    const dir = fresh();
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_TEXT);
    const wrong = runApp(dir, 'fleet.yaml', 'out');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(
      'fleet.yaml: 1 problem; nothing was written:\n  - fleet: delivery.path: "dist" is not where the synth writes: it writes "out" of the repository',
    );
    expect(readdirSync(dir).sort()).toEqual(['.git', 'fleet.yaml']);
    const right = runApp(join(dir), 'fleet.yaml', join(dir, 'dist'));
    expect(right.stderr).toBe('');
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['_flux', 'dev', 'management', 'monitoring', 'staging']);
  }, 60_000);

  it('says which inventory it cannot read and how to point it at one', () => {
    const dir = fresh();
    const missing = join(dir, 'no-such-fleet.yaml');
    const result = runApp(dir, missing, join(dir, 'out'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${missing}: cannot read the fleet inventory (ENOENT); set FLEET_FILE to its path\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // Without FLEET_FILE it reads fleet.yaml in the working directory.
    const unset = runApp(dir, undefined, join(dir, 'out'));
    expect(unset.status).toBe(1);
    expect(unset.stderr).toBe('fleet.yaml: cannot read the fleet inventory (ENOENT); set FLEET_FILE to its path\n');
    expect(readdirSync(dir)).toEqual([]);
  });
});
