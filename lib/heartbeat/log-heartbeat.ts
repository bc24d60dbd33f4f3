import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CONFIG_CHECKSUM_ANNOTATION, sha256 } from '../k8s/checksum';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  DEFAULT_LOG_HEARTBEAT_NAME,
  DEFAULT_LOG_HEARTBEAT_NAMESPACE,
  HEARTBEAT_MESSAGE,
  HEARTBEAT_SEQ_FIELD,
  HEARTBEAT_SOURCE,
  type HeartbeatLineSource,
  logHeartbeatLineSource,
  logHeartbeatSelectorLabels,
} from '../k8s/heartbeat-line';
import type { PodOverrides } from '../k8s/pod-overrides';
import { withPodOverrides } from '../k8s/pod-overrides-apply';
import { commonLabels } from '../k8s/labels';
import { checkDnsLabel, checkPinnedImage, checkWholeNumber } from '../k8s/prop-errors';
import { checkResources, type ContainerResources, toResourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';
import type { NetworkPolicyWorkload } from '../network/workload-policy';
import { checkServiceName, imageVersion, restrictedNamespace } from './workload';

export {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  HEARTBEAT_MESSAGE,
  HEARTBEAT_SEQ_FIELD,
  HEARTBEAT_SOURCE,
  type HeartbeatLineSource,
};
/** A small public image with a POSIX shell, `date` and `sleep` (busybox). */
export const DEFAULT_LOG_HEARTBEAT_IMAGE = 'busybox:1.37.0';

/**
 * The label `kubernetes_logs` consults: it skips pods and namespaces labelled `vector.dev/exclude: "true"` (its
 * built-in selectors are `vector.dev/exclude!=true`). "false" changes nothing for Vector but states that these logs
 * must be collected, next to the key that would stop it.
 */
export const VECTOR_EXCLUDE_LABEL = 'vector.dev/exclude';

const SCRIPT_DIR = '/etc/vector-heartbeat';
const SCRIPT_FILE = 'heartbeat.sh';
const MAX_INTERVAL_SECONDS = 86_400;

export interface LogHeartbeatProps {
  /** Namespace of the Deployment (and of the Namespace object, when created). @default 'logging' */
  readonly namespace?: string;
  /** Create the namespace, enforcing Pod Security "restricted". @default true */
  readonly createNamespace?: boolean;
  /** Name of the Deployment and its ConfigMap. @default 'vector-heartbeat' */
  readonly name?: string;
  /**
   * Seconds between two lines, written into each line as `interval_seconds`. Give the same value to `HeartbeatAlert`
   * and `heartbeatCounterComponents`. A whole number from 1 to 86400.
   * @default 120
   */
  readonly intervalSeconds?: number;
  /** Pinned image with a POSIX `sh`, `date` and `sleep`. @default 'busybox:1.37.0' */
  readonly image?: string;
  /** @default requests 10m / 8Mi, limits 20m / 16Mi */
  readonly resources?: ContainerResources;
  /**
   * Scheduling and escape hatches for the pod (node selector, affinity, spread, tolerations, priority, extra env,
   * volumes, mounts, labels, annotations, image pull secrets), added to what the construct writes.
   * @default none
   */
  readonly pod?: PodOverrides;
  /** UID and GID the shell runs as; never root. @default 1001 */
  readonly runAsUser?: number;
}

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '10m', memory: '8Mi' },
  limits: { cpu: '20m', memory: '16Mi' },
};

/**
 * One heartbeat line as JSON text, the keys in the order the line has them. `seq` is a printf placeholder such as
 * `%d`, written without the quotes JSON puts around a string, so that the line holds it as a number.
 */
function heartbeatLine(timestamp: string, intervalSeconds: number, seq: string): string {
  return JSON.stringify({
    timestamp,
    level: 'INFO',
    message: HEARTBEAT_MESSAGE,
    heartbeat: true,
    interval_seconds: intervalSeconds,
    source: HEARTBEAT_SOURCE,
    [HEARTBEAT_SEQ_FIELD]: seq,
  }).replace(`"${HEARTBEAT_SEQ_FIELD}":"${seq}"`, `"${HEARTBEAT_SEQ_FIELD}":${seq}`);
}

/**
 * The heartbeat shell script: POSIX `sh`, `date -u` and `sleep` only, so busybox runs it. The interval is baked in,
 * so a changed interval changes the ConfigMap and its checksum rolls the pod.
 */
export function heartbeatScript(intervalSeconds: number): string {
  // printf's format is the JSON line with %s for the timestamp and %d for the sequence number: the line holds no
  // other %, no backslash and no single quote (its only other variable part is a whole number), so it needs no escaping.
  const format = heartbeatLine('%s', intervalSeconds, '%d');
  return [
    '#!/bin/sh',
    `# One JSON line every ${intervalSeconds} s on stdout, collected by the Vector agents like any container log.`,
    '# The aggregators count the lines per cluster (vector_heartbeat_total); an alert fires when a cluster goes quiet.',
    '#',
    '# The shell is PID 1, which ignores SIGTERM without a handler, and a trap only runs once the foreground command',
    '# ends: sleeping in the background and waiting for it lets SIGTERM end the script at once.',
    "sleeper=''",
    '# seq counts the lines of this container from 1: the aggregators compare it with the lines they received (loss),',
    '# and the timestamp, the send time, with the time they receive it (latency). A restart starts again at 1.',
    'seq=0',
    'stop() {',
    '  if [ -n "$sleeper" ]; then kill "$sleeper" 2>/dev/null; fi',
    '  exit 0',
    '}',
    'trap stop TERM INT',
    'while :; do',
    '  seq=$((seq + 1))',
    `  printf '${format}\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$seq"`,
    `  sleep ${intervalSeconds} &`,
    '  sleeper=$!',
    '  wait "$sleeper"',
    "  sleeper=''",
    'done',
    '',
  ].join('\n');
}

/**
 * A tiny Deployment that proves a cluster's log pipeline works end to end: every `intervalSeconds` it prints one JSON
 * line (`{"timestamp":…,"level":"INFO","message":"Vector heartbeat - logging pipeline active","heartbeat":true,…,"seq":N}`)
 * to stdout: `timestamp` is its send time and `seq` counts the container's lines from 1. The agents collect it like any other log; the aggregators count the lines per cluster
 * (`heartbeatCounterComponents`) and `HeartbeatAlert` fires for a cluster whose count stops growing.
 *
 * Owns its Namespace (Pod Security "restricted"), a ConfigMap holding the script, and the Deployment (one replica,
 * busybox `sh`, non-root, read-only root filesystem, no capabilities, no service-account token).
 */
export class LogHeartbeat extends Construct {
  /** The exact `message` of every line. */
  readonly message: string = HEARTBEAT_MESSAGE;
  readonly namespace: string;
  readonly name: string;
  readonly intervalSeconds: number;
  readonly image: string;
  /** Labels that select the heartbeat pod (no version). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /**
   * Where its lines come from as Vector sees them, its namespace and selector labels: give it to the aggregators'
   * heartbeat counter (`VectorAggregator` `heartbeat.sources`), which counts only lines of these pods.
   */
  readonly lineSource: HeartbeatLineSource;
  readonly configMapName: string;
  /** The script the pod runs, as the ConfigMap holds it. */
  readonly script: string;
  /** Whether it creates its namespace. */
  readonly ownsNamespace: boolean;

  /**
   * The `lineSource` a `LogHeartbeat` with these props has, before it exists: for the aggregators of another cluster,
   * built first. The constructor derives its own from the same defaults and `logHeartbeatSelectorLabels`.
   */
  static lineSourceOf(props: LogHeartbeatProps = {}): HeartbeatLineSource {
    return logHeartbeatLineSource(
      props.namespace ?? DEFAULT_LOG_HEARTBEAT_NAMESPACE,
      props.name ?? DEFAULT_LOG_HEARTBEAT_NAME,
    );
  }

  constructor(scope: Construct, id: string, props: LogHeartbeatProps = {}) {
    super(scope, id);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? DEFAULT_LOG_HEARTBEAT_NAMESPACE);
    this.name = checkServiceName(this, 'name', props.name ?? DEFAULT_LOG_HEARTBEAT_NAME);
    this.intervalSeconds = checkWholeNumber(
      this,
      'intervalSeconds',
      props.intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
      1,
      MAX_INTERVAL_SECONDS,
    );
    this.image = checkPinnedImage(
      this,
      'image',
      props.image ?? DEFAULT_LOG_HEARTBEAT_IMAGE,
      DEFAULT_LOG_HEARTBEAT_IMAGE,
    );
    const resources = checkResources(this, 'resources', props.resources ?? DEFAULT_RESOURCES);
    const uid = checkWholeNumber(this, 'runAsUser', props.runAsUser ?? 1001, 1, 2_147_483_647);
    this.ownsNamespace = props.createNamespace ?? true;

    const identity = { name: 'vector-heartbeat', instance: this.name, component: 'log-heartbeat' };
    const labels = commonLabels({ ...identity, version: imageVersion(this.image) });
    this.selectorLabels = logHeartbeatSelectorLabels(this.name);
    this.lineSource = { namespace: this.namespace, podLabels: this.selectorLabels };
    this.configMapName = this.name;
    this.script = heartbeatScript(this.intervalSeconds);
    const collect = { [VECTOR_EXCLUDE_LABEL]: 'false' };

    if (this.ownsNamespace) restrictedNamespace(this, this.namespace, labels, collect);
    new k8s.KubeConfigMap(this, 'Script', {
      metadata: { name: this.configMapName, namespace: this.namespace, labels },
      data: { [SCRIPT_FILE]: this.script },
    });
    // `pod` is checked against, and added to, the pod written below.
    const withPod = (template: k8s.PodTemplateSpec) =>
      withPodOverrides(this, template, props.pod, {
        containerName: 'heartbeat',
        selectorLabels: this.selectorLabels,
        podSecurity: 'restricted',
      });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...this.selectorLabels } },
        // The new pod beats before the old one stops: a rollout leaves no gap an alert could see.
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) },
        },
        template: withPod({
          metadata: {
            labels: { ...labels, ...collect },
            annotations: { [CONFIG_CHECKSUM_ANNOTATION]: sha256(this.script) },
          },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // The script exits on SIGTERM at once; nothing needs the default 30 s.
            terminationGracePeriodSeconds: 10,
            securityContext: restrictedPodSecurityContext(uid),
            containers: [
              {
                name: 'heartbeat',
                image: this.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/sh', `${SCRIPT_DIR}/${SCRIPT_FILE}`],
                resources: toResourceRequirements(resources),
                securityContext: restrictedContainerSecurityContext(uid),
                volumeMounts: [{ name: 'script', mountPath: SCRIPT_DIR, readOnly: true }],
              },
            ],
            volumes: [{ name: 'script', configMap: { name: this.configMapName, defaultMode: 0o444 } }],
          },
        }),
      },
    });
  }

  /**
   * The description of its NetworkPolicy, for `VectorNetworkPolicies.addWorkload`: nothing in and nothing out, not even
   * DNS, as it only prints to stdout (the agents read its log from the node). It carries `ownsNamespace`, so a
   * namespace it creates gets its default-deny too.
   */
  networkPolicy(): NetworkPolicyWorkload {
    return {
      name: this.name,
      namespace: this.namespace,
      selectorLabels: this.selectorLabels,
      ownsNamespace: this.ownsNamespace,
    };
  }
}
