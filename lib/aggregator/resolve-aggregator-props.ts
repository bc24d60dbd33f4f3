import type { Construct } from 'constructs';
import {
  checkCidr,
  checkDnsLabel,
  checkDnsSubdomain,
  checkPort,
  checkUrl,
  checkWholeNumber,
  propError,
} from '../k8s/prop-errors';
import { checkIdentityValue } from '../k8s/cluster';
import { checkAnnotationsProp } from '../k8s/metadata';
import { DELIVERY_FIELDS } from '../k8s/log-fields';
import { type ContainerResources, memoryBytes } from '../k8s/resources';
import { resolveWorkloadProps } from '../k8s/vector-workload';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type HeartbeatLineSource,
  logHeartbeatLineSource,
} from '../k8s/heartbeat-line';
import { MIN_DISK_BUFFER_BYTES } from '../vector';
import { DEFAULT_AGGREGATOR_BUFFER_BYTES, volumeBytesFor } from '../k8s/buffer-sizing';
import { resolveAutoscaling } from './aggregator-autoscaling';
import type { NamespaceSampling } from './aggregator-pipeline';
import type { VectorAggregatorProps } from './aggregator-props';
import { DEFAULT_HEARTBEAT_EXPORTER_PORT } from './heartbeat-counter';

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};
const DEFAULT_SAMPLING: readonly NamespaceSampling[] = [
  { namespace: 'kube-system', rate: 10 },
  { namespace: 'ingress-nginx', rate: 5 },
];
const GIB = 1024 ** 3;
/** The headless Service's suffix: the longest a Service name gets. */
export const HEADLESS_SUFFIX = '-headless';

/** The aggregator's props with their defaults, each checked: an error names the construct path, prop and value. */
export function resolveAggregatorProps(scope: Construct, props: VectorAggregatorProps) {
  const base = resolveWorkloadProps(scope, props, {
    name: 'vector-aggregator',
    resources: DEFAULT_RESOURCES,
    longestServiceSuffix: HEADLESS_SUFFIX,
  });
  const p = {
    ...base,
    replicas: checkWholeNumber(scope, 'replicas', props.replicas ?? 3, 1),
    stateless: props.stateless ?? false,
    vectorPort: checkPort(scope, 'vectorPort', props.vectorPort ?? 6000),
    maxConnectionAgeSecs: checkWholeNumber(scope, 'maxConnectionAgeSecs', props.maxConnectionAgeSecs ?? 300, 10),
    dedupeFields: props.dedupeFields ?? [...DELIVERY_FIELDS],
    sampling: props.sampling ?? DEFAULT_SAMPLING,
    markedClusters: props.markedClusters ?? [],
    bufferBytes: props.loki?.bufferBytes ?? DEFAULT_AGGREGATOR_BUFFER_BYTES,
    storageSize: '',
    heartbeat: resolveHeartbeat(scope, props.heartbeat),
    externalTrafficPolicy: props.loadBalancer?.externalTrafficPolicy ?? 'Local',
    // Autoscaling: an HPA instead of a fixed count (aggregator-autoscaling.ts).
    autoscaling: resolveAutoscaling(scope, props, base.resources),
  };
  const ports = { apiPort: p.apiPort, metricsPort: p.metricsPort, vectorPort: p.vectorPort };
  if (new Set(Object.values(ports)).size !== 3) {
    throw propError(
      scope,
      'vectorPort',
      p.vectorPort,
      `apiPort, metricsPort and vectorPort must all differ; got ${JSON.stringify(ports)}`,
    );
  }
  checkUrl(scope, 'loki.endpoint', props.loki?.endpoint);
  if (!Number.isInteger(p.bufferBytes) || p.bufferBytes < MIN_DISK_BUFFER_BYTES) {
    throw propError(
      scope,
      'loki.bufferBytes',
      p.bufferBytes,
      `Vector's disk buffers hold at least ${MIN_DISK_BUFFER_BYTES} bytes`,
    );
  }
  if ('remoteWrite' in props.metrics) {
    checkUrl(scope, 'metrics.remoteWrite.endpoint', props.metrics.remoteWrite.endpoint);
  } else {
    checkPort(scope, 'metrics.exporter.port', props.metrics.exporter.port);
    if (Object.values(ports).includes(props.metrics.exporter.port)) {
      throw propError(
        scope,
        'metrics.exporter.port',
        props.metrics.exporter.port,
        `must differ from ${JSON.stringify(ports)}`,
      );
    }
  }
  for (const [prop, ref] of [
    ['loki.bearerTokenSecret', props.loki.bearerTokenSecret],
    [
      'metrics.remoteWrite.bearerTokenSecret',
      'remoteWrite' in props.metrics ? props.metrics.remoteWrite.bearerTokenSecret : undefined,
    ],
  ] as const) {
    if (!ref) continue;
    checkDnsSubdomain(scope, `${prop}.name`, ref.name);
    // Mounted as a Secret volume item: Kubernetes accepts only these characters in a key.
    if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
      throw propError(scope, `${prop}.key`, ref.key, 'a Secret key: letters, digits, "-", "_" and "."');
    }
  }
  if (p.dedupeFields !== false && p.dedupeFields.length === 0) {
    throw propError(
      scope,
      'dedupeFields',
      p.dedupeFields,
      'list the fields that make two events the same, or false to turn deduplication off',
    );
  }
  const seen = new Set<string>();
  for (const [i, s] of p.sampling.entries()) {
    checkDnsLabel(scope, `sampling[${i}].namespace`, s.namespace);
    if (seen.has(s.namespace))
      throw propError(scope, `sampling[${i}].namespace`, s.namespace, 'each namespace may be sampled once');
    seen.add(s.namespace);
    checkWholeNumber(scope, `sampling[${i}].rate`, s.rate, 2);
  }
  for (const [i, cluster] of p.markedClusters.entries()) checkIdentityValue(scope, `markedClusters[${i}]`, cluster);
  if (p.stateless && props.storage?.storageClassName) {
    throw propError(
      scope,
      'storage.storageClassName',
      props.storage.storageClassName,
      'a stateless aggregator has no volumes: drop it, or stateless',
    );
  }
  if (p.heartbeat) {
    const taken = {
      ...ports,
      ...('exporter' in props.metrics ? { 'metrics.exporter.port': props.metrics.exporter.port } : {}),
    };
    if (Object.values(taken).includes(p.heartbeat.port)) {
      throw propError(scope, 'heartbeat.port', p.heartbeat.port, `must differ from ${JSON.stringify(taken)}`);
    }
  }
  if (!['Local', 'Cluster'].includes(p.externalTrafficPolicy)) {
    throw propError(
      scope,
      'loadBalancer.externalTrafficPolicy',
      p.externalTrafficPolicy,
      'use "Local" (keeps client addresses, which sourceClusterCidrs match) or "Cluster"',
    );
  }
  checkAnnotationsProp(scope, 'loadBalancer.annotations', props.loadBalancer?.annotations);
  if (props.loadBalancer?.hostname !== undefined) {
    checkDnsSubdomain(scope, 'loadBalancer.hostname', props.loadBalancer.hostname);
  }
  for (const [i, range] of (props.loadBalancer?.sourceRanges ?? []).entries()) {
    checkCidr(scope, `loadBalancer.sourceRanges[${i}]`, range);
  }
  const minimumStorage = volumeBytesFor(p.bufferBytes);
  p.storageSize = props.storage?.size ?? `${minimumStorage / GIB}Gi`;
  const size = memoryBytes(p.storageSize);
  if (size === undefined || size < p.bufferBytes) {
    throw propError(
      scope,
      'storage.size',
      p.storageSize,
      `use a quantity that holds the ${p.bufferBytes}-byte Loki buffer, e.g. "${minimumStorage / GIB}Gi"`,
    );
  }
  return p;
}

function resolveHeartbeat(
  scope: Construct,
  heartbeat: VectorAggregatorProps['heartbeat'],
): { intervalSeconds: number; sources: readonly HeartbeatLineSource[]; port: number } | false {
  if (heartbeat === false) return false;
  if (heartbeat !== undefined && (typeof heartbeat !== 'object' || heartbeat === null || Array.isArray(heartbeat))) {
    throw propError(scope, 'heartbeat', heartbeat, 'use false, or { intervalSeconds?, sources?, port? }');
  }
  const h = heartbeat ?? {};
  return {
    intervalSeconds: checkWholeNumber(
      scope,
      'heartbeat.intervalSeconds',
      h.intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
      1,
      86_400,
    ),
    sources: checkHeartbeatSources(scope, h.sources ?? [logHeartbeatLineSource()]),
    port: checkPort(scope, 'heartbeat.port', h.port ?? DEFAULT_HEARTBEAT_EXPORTER_PORT),
  };
}

function checkHeartbeatSources(scope: Construct, sources: unknown): readonly HeartbeatLineSource[] {
  if (!Array.isArray(sources) || sources.length === 0) {
    throw propError(scope, 'heartbeat.sources', sources, 'name at least one LogHeartbeat by its lineSource');
  }
  for (const [i, source] of (sources as (Partial<HeartbeatLineSource> | null)[]).entries()) {
    checkDnsLabel(scope, `heartbeat.sources[${i}].namespace`, source?.namespace as string);
    const labels = source?.podLabels;
    const values = typeof labels === 'object' && labels !== null ? Object.values(labels) : [];
    if (values.length === 0 || values.some((v) => typeof v !== 'string')) {
      throw propError(
        scope,
        `heartbeat.sources[${i}].podLabels`,
        labels,
        "the heartbeat pods' selector labels (LogHeartbeat.lineSource.podLabels): at least one, string values",
      );
    }
  }
  return sources as readonly HeartbeatLineSource[];
}

export type ResolvedAggregatorProps = ReturnType<typeof resolveAggregatorProps>;
