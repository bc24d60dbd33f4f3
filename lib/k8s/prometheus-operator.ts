import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';

/*
 * Hand-typed L1 classes for the prometheus-operator kinds this library writes (monitoring.coreos.com/v1).
 * `cdk8s import` would generate them from the CRDs but needs the internet; only the fields we use are typed, and the
 * tests validate every synthesized object against the CRD schemas (@kubernetes-models/prometheus-operator).
 */

/** Metadata with the name required: this library never lets cdk8s invent a hashed name. */
export interface NamedMetadata extends ApiObjectMetadata {
  readonly name: string;
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }[];
}

/** Which namespaces a monitor looks for pods or services in. */
export interface NamespaceSelector {
  /** Every namespace. @default false */
  readonly any?: boolean;
  /** Exactly these namespaces. @default the monitor's own namespace */
  readonly matchNames?: readonly string[];
}

/** One Prometheus relabeling step, as the operator spells it (camelCase). */
export interface RelabelConfig {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly targetLabel?: string;
  readonly regex?: string;
  readonly modulus?: number;
  /** Literal value or `$1`-style reference into `regex`. @default '$1' */
  readonly replacement?: string;
  /** @default 'replace' */
  readonly action?:
    | 'replace'
    | 'keep'
    | 'drop'
    | 'hashmod'
    | 'labelmap'
    | 'labeldrop'
    | 'labelkeep'
    | 'lowercase'
    | 'uppercase'
    | 'keepequal'
    | 'dropequal';
}

/** Scrape settings shared by PodMonitor and ServiceMonitor endpoints. */
export interface ScrapeEndpointOptions {
  /** HTTP path of the metrics. @default '/metrics' */
  readonly path?: string;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** Prometheus duration, e.g. `30s`. @default Prometheus' global scrape interval */
  readonly interval?: string;
  /** Prometheus duration, at most `interval`. @default Prometheus' global scrape timeout */
  readonly scrapeTimeout?: string;
  /** @default false */
  readonly honorLabels?: boolean;
  /** Applied to the target before the scrape: labels added here are on every series, including `up`. */
  readonly relabelings?: readonly RelabelConfig[];
  /** Applied to every scraped series after the scrape. */
  readonly metricRelabelings?: readonly RelabelConfig[];
}

/** One scrape endpoint of a PodMonitor: a named container port of the selected pods. */
export interface PodMetricsEndpoint extends ScrapeEndpointOptions {
  /** Name of the container port. */
  readonly port: string;
}

export interface PodMonitorSpec {
  /** Selects the pods to scrape. */
  readonly selector: LabelSelector;
  /** @default the PodMonitor's own namespace */
  readonly namespaceSelector?: NamespaceSelector;
  readonly podMetricsEndpoints: readonly PodMetricsEndpoint[];
  /** Pod label whose value becomes the `job` label. @default `<namespace>/<PodMonitor name>` */
  readonly jobLabel?: string;
  /** Pod labels copied onto every series. @default none */
  readonly podTargetLabels?: readonly string[];
  /** Scrape fails when a target exposes more series. @default no limit */
  readonly sampleLimit?: number;
}

/** One scrape endpoint of a ServiceMonitor: a named port of the selected services. */
export interface ServiceMonitorEndpoint extends ScrapeEndpointOptions {
  /** Name of the service port. */
  readonly port: string;
}

export interface ServiceMonitorSpec {
  /** Selects the services whose endpoints are scraped. */
  readonly selector: LabelSelector;
  /** @default the ServiceMonitor's own namespace */
  readonly namespaceSelector?: NamespaceSelector;
  readonly endpoints: readonly ServiceMonitorEndpoint[];
  /** Service label whose value becomes the `job` label. @default the service name */
  readonly jobLabel?: string;
  /** Service labels copied onto every series. @default none */
  readonly targetLabels?: readonly string[];
  /** Pod labels copied onto every series. @default none */
  readonly podTargetLabels?: readonly string[];
  /** @default no limit */
  readonly sampleLimit?: number;
}

/** A Prometheus alerting rule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires. @default '0s' (fires at once) */
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Prometheus recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  /** Unique within the PrometheusRule. */
  readonly name: string;
  /** @default Prometheus' global evaluation interval */
  readonly interval?: string;
  readonly rules: readonly (AlertingRule | RecordingRule)[];
}

export interface PrometheusRuleSpec {
  readonly groups: readonly RuleGroup[];
}

export interface PodMonitorProps {
  readonly metadata: NamedMetadata;
  readonly spec: PodMonitorSpec;
}

export interface ServiceMonitorProps {
  readonly metadata: NamedMetadata;
  readonly spec: ServiceMonitorSpec;
}

export interface PrometheusRuleProps {
  readonly metadata: NamedMetadata;
  readonly spec: PrometheusRuleSpec;
}

function requireName(kind: string, metadata: NamedMetadata): void {
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new Error(`${kind}: metadata.name is required (this library writes no generated names)`);
  }
}

/** Tells a prometheus-operator-managed Prometheus to scrape the pods a label selector picks, e.g. a DaemonSet's. */
export class PodMonitor extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' };

  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    requireName(PodMonitor.GVK.kind, props.metadata);
    super(scope, id, { ...PodMonitor.GVK, metadata: props.metadata, spec: props.spec });
  }
}

/** Tells a prometheus-operator-managed Prometheus to scrape the endpoints behind Services. */
export class ServiceMonitor extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' };

  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    requireName(ServiceMonitor.GVK.kind, props.metadata);
    super(scope, id, { ...ServiceMonitor.GVK, metadata: props.metadata, spec: props.spec });
  }
}

/** Alerting and recording rules that a prometheus-operator-managed Prometheus (or Thanos Ruler) loads. */
export class PrometheusRule extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' };

  constructor(scope: Construct, id: string, props: PrometheusRuleProps) {
    requireName(PrometheusRule.GVK.kind, props.metadata);
    super(scope, id, { ...PrometheusRule.GVK, metadata: props.metadata, spec: props.spec });
  }
}
