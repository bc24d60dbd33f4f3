import { z } from 'zod';
import { cidrProblem } from '../k8s/cidr';
import { annotationsSizeProblem, labelKeyProblem, labelValueProblem } from '../k8s/metadata';
import { describeValue, pinnedImageProblem } from '../k8s/prop-errors';
import { memoryBytes } from '../k8s/resources';
import { GIT_URL, GO_DURATION, repositoryPathProblem } from '../delivery';
import { agentCommonName } from '../pki/pki-common';
import { agentNodeLogs, agentScheduling, aggregatorScheduling } from './scheduling-schema';
import { refreshIntervalProblem, remoteKeyProblem } from '../pki/tls-secret-distribution';
import type { Fleet } from './inventory';

/*
 * The shape of an inventory, for data that does not come through the TypeScript compiler (fleet.yaml): every object
 * is strict, so a misspelt key is an error rather than a silently ignored option. Typed as z.ZodType<Fleet>,
 * so that the compiler keeps this schema and the documented interfaces in inventory.ts the same.
 * Cross-cluster rules (unique names, one monitoring cluster, what a feature needs from it) are in load-inventory.ts.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Cluster identity values become Loki labels, metric tags and VRL literals (see lib/k8s/cluster.ts). */
const IDENTITY_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * A source cluster's agents present a client certificate whose common name is `vector-agent.<cluster>`, and X.509
 * allows a common name of at most 64 characters (RFC 5280's ub-common-name). Monitoring clusters are held to the
 * same limit, so that a cluster can change role without a rename.
 */
export const MAX_CLUSTER_NAME_LENGTH = 64 - agentCommonName('').length;
const CLUSTER_NAME = new RegExp(`^[a-z0-9]([-a-z0-9]{0,${MAX_CLUSTER_NAME_LENGTH - 2}}[a-z0-9])?$`);

const clusterName = z
  .string()
  .regex(
    CLUSTER_NAME,
    `must be a DNS label of at most ${MAX_CLUSTER_NAME_LENGTH} characters: lowercase letters, digits and "-", ` +
      `starting and ending alphanumeric (a source cluster's agents present the client certificate ` +
      `"${agentCommonName('<name>')}", whose common name X.509 limits to 64 characters)`,
  );
const dnsLabel = z
  .string()
  .regex(DNS_LABEL, 'must be a DNS label: 1 to 63 lowercase letters, digits and "-", starting and ending alphanumeric');
const dnsSubdomain = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a Kubernetes object name: lowercase letters, digits, "-" and ".", at most 253 characters',
  );
const identity = z
  .string()
  .regex(IDENTITY_VALUE, 'use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/,
    'must be a lowercase DNS name such as "vector.monitoring.example.com"',
  );
/** A custom issue at the value: its problem after the value, quoted as every message quotes it (cut when long). */
const refined = (problemOf: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${describeValue(value)}: ${problem}` });
  });
const cidr = refined(cidrProblem);
const cidrs = z.array(cidr).min(1, 'give at least one CIDR block');
const PORT_RANGE = 'must be a port from 1 to 65535';
const port = z.number().int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE);
const httpUrl = z.url({ protocol: /^https?$/ });
/** The port written in a URL's authority, which `new URL` takes as 0 or refuses as "not a URL" above 65535. */
const URL_PORT = /^[A-Za-z][-A-Za-z0-9+.]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)(?:[/?#]|$)/;
const url = refined((value) => {
  const written = URL_PORT.exec(value)?.[1];
  if (written !== undefined && (Number(written) < 1 || Number(written) > 65535)) {
    return `the URL's port must be from 1 to 65535, not ${Number(written)}`;
  }
  return httpUrl.safeParse(value).success ? undefined : 'must be an http:// or https:// URL';
});
/** Runs a map's refinement beside its values' type errors too, so that one run reports both; never on a non-map. */
const onAnyMap = {
  when: ({ value }: { value: unknown }) => typeof value === 'object' && value !== null && !Array.isArray(value),
};
/** A label map: keys and values as the API server checks them (lib/k8s/metadata.ts), each at its own key. */
const labels = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) ctx.addIssue({ code: 'custom', path: [key], message: `the key ${keyProblem}` });
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
    if (valueProblem)
      ctx.addIssue({ code: 'custom', path: [key], message: `${describeValue(value)}: ${valueProblem}` });
  }
}, onAnyMap);
/** An annotation map: keys like labels', values any string, and at most 256 KiB of both on the object. */
const annotations = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const key of Object.keys(map)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) ctx.addIssue({ code: 'custom', path: [key], message: `the key ${keyProblem}` });
  }
  const size = annotationsSizeProblem(map);
  if (size) ctx.addIssue({ code: 'custom', message: size });
}, onAnyMap);
const secretKeyRef = z.strictObject({ name: dnsLabel, key: z.string().min(1) });
const ingressNamespaces = z.array(dnsLabel).min(1, 'give at least one namespace');
/** A feature that is off (`false`) or on with these options. */
const offOr = <T extends z.ZodType>(options: T) =>
  z.union([z.literal(false), options], { error: 'must be false (off) or a mapping of its options' });

const prometheus = z.strictObject({
  namespace: dnsLabel.optional(),
  podLabels: labels.optional(),
  ruleLabels: labels.optional(),
});

// Capacity: log rates, disk budgets, outage budgets and autoscaling (lib/fleet/fleet-sizing.ts checks them together).
const bytesPerSecond = z
  .number()
  .positive('must be more than 0 bytes per second')
  .max(Number.MAX_SAFE_INTEGER, 'must be a plausible rate');
const logRate = z.strictObject({ bytesPerSecondPerNode: bytesPerSecond, bytesPerSecond });
const bytes = z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte');
const minutes = z
  .number()
  .int('must be a whole number of minutes')
  .min(1, 'must be at least 1 minute')
  .max(525600, 'must be at most 525600 minutes (a year)');
const outageBudget = z.strictObject({ lokiDownMinutes: minutes.optional(), aggregatorDownMinutes: minutes.optional() });
const whole = z.number().int('must be a whole number');
const autoscaling = z.strictObject({
  minReplicas: whole.optional(),
  maxReplicas: whole,
  cpuUtilization: whole.optional(),
  memoryUtilization: whole.optional(),
});
const storageSize = refined((value) =>
  memoryBytes(value) === undefined ? 'must be a quantity of bytes such as "20Gi" or "500M"' : undefined,
);

const base = {
  name: clusterName,
  environment: identity,
  region: identity,
  apiServer: z.strictObject({ cidrs, port }),
  nodeCidrs: cidrs,
  prometheus: prometheus.optional(),
  dns: z
    .union([z.strictObject({ cidrs }), z.strictObject({ namespace: dnsLabel, podLabels: labels.optional() })], {
      error: 'must be a mapping: { namespace, podLabels } for DNS pods, or { cidrs } for a node-local DNS cache',
    })
    .optional(),
  networkPolicies: z.boolean().optional(),
  restartOnCertificateRenewal: z.boolean().optional(),
  logRate: logRate.optional(),
  nodeDiskBudgetBytes: bytes.optional(),
};

const pinnedImage = (example: string) => refined((value) => pinnedImageProblem(value, example));

// Certificate distribution with External Secrets (README "Distributing the CA with External Secrets").
const secretStore = z.strictObject({
  name: refined((value) =>
    DNS_SUBDOMAIN.test(value) && value.length <= 253
      ? undefined
      : 'must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 characters',
  ),
  kind: z.enum(['SecretStore', 'ClusterSecretStore']).optional(),
});
const refreshInterval = refined((value) => refreshIntervalProblem(value));
const externalSecrets = z.literal('externalSecrets');
const sourceCertificateDistribution = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('manual') }),
    z.strictObject({
      method: externalSecrets,
      secretStore: secretStore.optional(),
      refreshInterval: refreshInterval.optional(),
    }),
  ],
  {
    error: (issue) =>
      typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input)
        ? 'must be "externalSecrets" or "manual"'
        : 'must be a mapping: { method: externalSecrets } or { method: manual }',
  },
);
const monitoringCertificateDistribution = z.strictObject({
  method: externalSecrets,
  secretStore,
  remoteKeyPrefix: refined((value) => remoteKeyProblem(value, true)).optional(),
  refreshInterval: refreshInterval.optional(),
});

/** An ISO 8601 timestamp with a time zone, which Date reads the same on every machine. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const timestamp = refined((value) =>
  TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : 'must be an ISO 8601 timestamp with a time zone, such as "2026-12-01T09:00:00Z"',
);
const retiredDaemonSet = { namespace: dnsLabel, name: dnsSubdomain };
const migration = z.strictObject({
  phase: z.enum(['sideBySide', 'cutover', 'done'], 'must be sideBySide, cutover or done'),
  promtail: z.strictObject(retiredDaemonSet).optional(),
  nodeExporter: z
    .strictObject({
      ...retiredDaemonSet,
      job: z
        .string()
        .regex(
          /^[A-Za-z0-9][-A-Za-z0-9_./:]{0,126}$/,
          'must be the job label of node-exporter\'s series: letters, digits, "-", "_", ".", "/" or ":"',
        )
        .optional(),
    })
    .optional(),
  sideBySide: z.strictObject({ startedAt: timestamp, completedAt: timestamp.optional() }).optional(),
});

const source = z.strictObject({
  ...base,
  role: z.literal('source'),
  monitoringCluster: dnsLabel.optional(),
  egressCidrs: cidrs,
  remoteWrite: offOr(z.strictObject({ tokenSecret: secretKeyRef.optional() })).optional(),
  logHeartbeat: z.boolean().optional(),
  kubernetesEvents: z.boolean().optional(),
  httpHeartbeat: offOr(
    z.strictObject({
      ingressNamespaces,
      maxBodyBytes: z
        .number()
        .int('must be a whole number')
        .min(2, 'must be at least 2 (the server needs min < max)')
        .max(1073741824, "must be at most 1073741824 (1 GiB), the server's limit")
        .optional(),
    }),
  ).optional(),
  deploymentStatusApi: offOr(
    z.strictObject({ ingressNamespaces, authTokenSecret: secretKeyRef, namespaces: z.array(dnsLabel).optional() }),
  ).optional(),
  airflow: offOr(
    z.strictObject({
      airflowImage: pinnedImage('apache/airflow:2.10.5'),
      namespace: dnsLabel.optional(),
      sidecarMode: z.enum(['container', 'native']).optional(),
      helmReleaseName: dnsLabel.optional(),
      lokiTokenSecret: secretKeyRef.optional(),
    }),
  ).optional(),
  clientCertificateIssuer: z.enum(['sourceCluster', 'monitoringCluster']).optional(),
  certificateDistribution: sourceCertificateDistribution.optional(),
  agent: z.strictObject({ ...agentScheduling, ...agentNodeLogs }).optional(),
  migration: migration.optional(),
});

const inClusterPods = z.strictObject({ namespace: dnsLabel, podLabels: labels, targetPort: port.optional() });
const external = z.strictObject({ endpoint: url, cidrs });

const monitoring = z.strictObject({
  ...base,
  role: z.literal('monitoring'),
  standby: z.boolean().optional(),
  agent: offOr(z.strictObject({ namespace: dnsLabel.optional(), ...agentScheduling, ...agentNodeLogs })).optional(),
  certManagerNamespace: dnsLabel.optional(),
  aggregator: z.strictObject({
    hostname,
    addresses: cidrs,
    replicas: z.number().int('must be a whole number').min(1).optional(),
    vectorPort: port.optional(),
    loadBalancerAnnotations: annotations.optional(),
    ...aggregatorScheduling,
    autoscaling: autoscaling.optional(),
    storageSize: storageSize.optional(),
  }),
  loki: z.strictObject({ endpoint: url, pods: inClusterPods, external: z.strictObject({ endpoint: url }).optional() }),
  remoteWrite: z.strictObject({ endpoint: url, pods: inClusterPods, external: external.optional() }),
  certificateDistribution: monitoringCertificateDistribution.optional(),
  outageBudget: outageBudget.optional(),
});

// Delivery (GitOps): the values Flux's CRDs accept, checked here so that the file and field are named.
const goDuration = z.string().regex(GO_DURATION, 'must be a Go duration such as "30s", "10m" or "1h"');
const notBoth = z.undefined({ error: 'give a branch or a tag, not both' });
const delivery = z.strictObject({
  tool: z.literal('flux', {
    error:
      'must be "flux": Argo CD is not written, since its sync waves order Applications only inside a parent app and only with a custom health check (see "Delivering the fleet" in README.md)',
  }),
  repository: z.strictObject({
    url: refined((value) =>
      GIT_URL.test(value) ? undefined : 'must be an https://, http:// or ssh:// URL, the schemes Flux fetches',
    ),
    ref: z
      .union(
        [
          z.strictObject({ branch: z.string().min(1), tag: notBoth.optional() }),
          z.strictObject({ tag: z.string().min(1), branch: notBoth.optional() }),
        ],
        { error: 'must be a mapping: { branch: <name> } or { tag: <name> }' },
      )
      .optional(),
    secretName: dnsSubdomain.optional(),
  }),
  path: refined(repositoryPathProblem).optional(),
  managementCluster: dnsLabel.optional(),
  namespace: dnsLabel.optional(),
  interval: goDuration.optional(),
  timeout: goDuration.optional(),
});

export const fleetSchema: z.ZodType<Fleet> = z.strictObject({
  monitoringCluster: dnsLabel.optional(),
  heartbeatIntervalSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(86400, 'must be at most 86400 seconds (a day)')
    .optional(),
  clusters: z.array(
    z.discriminatedUnion('role', [source, monitoring], {
      // A missing role is reported as "is required" by the loader, which sees the value.
      error: (issue) =>
        typeof issue.input !== 'object' || issue.input === null || Array.isArray(issue.input)
          ? 'must be a mapping with role source or monitoring'
          : 'must be source or monitoring',
    }),
  ),
  delivery: delivery.optional(),
});

/**
 * The keys the mapping at `path` in `data` may have, for "did you mean" hints on unknown keys: only that mapping's, so
 * that a key of another mapping (`hostname` at the cluster level) is not offered back as its own correction.
 */
export function keysAt(path: readonly PropertyKey[], data: unknown): string[] {
  return shapesAt(fleetSchema, data, path).flatMap((shape) => Object.keys(shape));
}

type Shape = Readonly<Record<string, z.core.$ZodType>>;

function shapesAt(schema: z.core.$ZodType, value: unknown, path: readonly PropertyKey[]): Shape[] {
  const def = schema._zod.def as unknown as Readonly<Record<string, unknown>> & { type: string };
  const [key, ...rest] = path;
  const child =
    typeof value === 'object' && value !== null
      ? (value as Record<PropertyKey, unknown>)[key as PropertyKey]
      : undefined;
  switch (def.type) {
    case 'optional':
      return shapesAt(def.innerType as z.core.$ZodType, value, path);
    case 'union': {
      // A cluster's keys depend on its role: follow the options whose discriminator the value matches.
      const discriminator = def.discriminator as string | undefined;
      const matches = (option: z.core.$ZodType) =>
        discriminator === undefined ||
        z.safeParse(
          (option._zod.def as unknown as { shape: Shape }).shape[discriminator],
          valueOf(value, discriminator),
        ).success;
      return (def.options as z.core.$ZodType[]).filter(matches).flatMap((o) => shapesAt(o, value, path));
    }
    case 'array':
      return path.length > 0 ? shapesAt(def.element as z.core.$ZodType, child, rest) : [];
    case 'object': {
      const shape = def.shape as Shape;
      if (path.length === 0) return [shape];
      return typeof key === 'string' && shape[key] ? shapesAt(shape[key], child, rest) : [];
    }
    default:
      return [];
  }
}

const valueOf = (value: unknown, key: string) =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
