import {
  DEFAULT_ALERT_FOR,
  DEFAULT_SEVERITIES,
  VECTOR_ALERT_KINDS,
  type AlertSettings,
  type VectorAlertKind,
} from './alerts';
import type { MonitoredEndpoint, MonitoredWorkload } from './monitored-workload';
import { parseDuration } from './promql';
import {
  annotationsSize,
  dnsLabel,
  dnsSubdomain,
  duration,
  httpPath,
  httpUrl,
  isProblem,
  labelKey,
  labelMap,
  labelValue,
  matcherList,
  nonNegative,
  oneOf,
  portName,
  prometheusLabelName,
  ratio,
  show,
  unknownKeys,
} from './validation';
import type { VectorDashboardOptions, VectorMonitoringProps } from './monitoring-props';

/*
 * VectorMonitoring's props, checked and defaulted. Every problem is collected and reported at once, each line naming
 * the construct path, the prop, the bad value and what is allowed.
 */

const WORKLOAD_KINDS = ['DaemonSet', 'StatefulSet', 'Deployment'] as const;
const ROLES = ['agent', 'aggregator'] as const;
// Labels every alert gets from the construct itself; alertLabels may not redefine them.
const RESERVED_ALERT_LABELS = ['alertname', 'severity', 'cluster', 'role', 'workload'];

export interface ResolvedProps {
  readonly name: string;
  readonly scrapeInterval: string;
  readonly alert: AlertSettings;
  readonly dashboard: Required<Omit<VectorDashboardOptions, 'enabled'>> & { readonly enabled: boolean };
  readonly ruleLabels: Readonly<Record<string, string>>;
}

export function resolveProps(path: string, props: VectorMonitoringProps): ResolvedProps {
  const problems: string[] = [];
  const check = (...found: (string | undefined)[]): void => {
    problems.push(...found.filter(isProblem));
  };

  const name = props.name ?? 'vector';
  // 53 leaves room for the `-dashboard` suffix within a 63-character DNS label.
  check(
    dnsLabel('name', name, 53),
    dnsLabel('namespace', props.namespace),
    labelValue('cluster', props.cluster, false),
  );
  problems.push(...targetProblems(props.targets));

  const ruleLabels = props.ruleLabels ?? {};
  problems.push(...labelMap('ruleLabels', ruleLabels));

  const scrapeInterval = props.scrapeInterval ?? '30s';
  const rateWindow = props.rateWindow ?? '5m';
  check(duration('scrapeInterval', scrapeInterval, false), duration('rateWindow', rateWindow, false));
  const scrapeMs = parseDuration(scrapeInterval);
  const windowMs = parseDuration(rateWindow);
  if (scrapeMs !== undefined && windowMs !== undefined && scrapeMs > 0 && windowMs < 4 * scrapeMs) {
    problems.push(
      `invalid rateWindow ${show(rateWindow)}: must be at least 4 × scrapeInterval (${scrapeInterval}), ` +
        `so every window holds enough samples for rate() even when a scrape fails`,
    );
  }

  const bufferUsageThreshold = props.bufferUsageThreshold ?? 0.8;
  const memoryUsageThreshold = props.memoryUsageThreshold ?? 0.8;
  const componentErrorRateThreshold = props.componentErrorRateThreshold ?? 0;
  const discardedEventRateThreshold = props.discardedEventRateThreshold ?? 0;
  check(
    ratio('bufferUsageThreshold', bufferUsageThreshold),
    ratio('memoryUsageThreshold', memoryUsageThreshold),
    nonNegative('componentErrorRateThreshold', componentErrorRateThreshold, 'errors per second'),
    nonNegative('discardedEventRateThreshold', discardedEventRateThreshold, 'events per second'),
  );

  const alertFor = { ...DEFAULT_ALERT_FOR, ...definedEntries(props.alertFor) };
  const severities = { ...DEFAULT_SEVERITIES, ...definedEntries(props.severities) };
  problems.push(
    ...unknownKeys('alertFor', props.alertFor, VECTOR_ALERT_KINDS),
    ...unknownKeys('severities', props.severities, VECTOR_ALERT_KINDS),
  );
  for (const kind of VECTOR_ALERT_KINDS) {
    check(
      duration(`alertFor.${kind}`, alertFor[kind], true),
      labelValue(`severities.${kind}`, severities[kind], false),
    );
  }

  const alertLabels = props.alertLabels ?? {};
  for (const [key, value] of Object.entries(alertLabels)) {
    check(
      prometheusLabelName('alertLabels', key),
      RESERVED_ALERT_LABELS.includes(key)
        ? `invalid alertLabels key ${show(key)}: VectorMonitoring sets ${RESERVED_ALERT_LABELS.join(', ')} itself`
        : undefined,
      typeof value === 'string' && value !== ''
        ? undefined
        : `invalid alertLabels[${show(key)}] ${show(value)}: must be a non-empty string`,
    );
  }
  if (props.runbookBaseUrl !== undefined) check(httpUrl('runbookBaseUrl', props.runbookBaseUrl));

  const kubeStateMetricsSelector = props.kubeStateMetricsSelector ?? 'job="kube-state-metrics"';
  const cadvisorSelector = props.cadvisorSelector ?? 'job="kubelet", metrics_path="/metrics/cadvisor"';
  check(
    matcherList('kubeStateMetricsSelector', kubeStateMetricsSelector),
    matcherList('cadvisorSelector', cadvisorSelector),
  );

  const dashboard = {
    enabled: props.dashboard?.enabled ?? true,
    namespace: props.dashboard?.namespace ?? props.namespace,
    labels: props.dashboard?.labels ?? {},
    annotations: props.dashboard?.annotations ?? {},
    title: props.dashboard?.title ?? `Vector fleet / ${props.cluster}`,
  };
  if (props.dashboard?.namespace !== undefined) check(dnsLabel('dashboard.namespace', dashboard.namespace));
  problems.push(...labelMap('dashboard.labels', dashboard.labels));
  const sidecarLabel = (dashboard.labels as Record<string, string | undefined>).grafana_dashboard;
  if (sidecarLabel !== undefined && sidecarLabel !== '1') {
    problems.push(
      `invalid dashboard.labels["grafana_dashboard"] ${show(sidecarLabel)}: it is always "1", the value Grafana's ` +
        `dashboard sidecar looks for; leave it out`,
    );
  }
  for (const [key, value] of Object.entries(dashboard.annotations)) {
    check(
      labelKey('dashboard.annotations', key),
      typeof value === 'string'
        ? undefined
        : `invalid dashboard.annotations[${show(key)}] ${show(value)}: must be a string`,
    );
  }
  check(annotationsSize('dashboard.annotations', dashboard.annotations));
  if (typeof dashboard.title !== 'string' || dashboard.title.trim() === '') {
    problems.push(`invalid dashboard.title ${show(dashboard.title)}: must be a non-empty string`);
  }

  if (problems.length > 0) throw new Error(problems.map((problem) => `${path}: ${problem}`).join('\n'));

  return {
    name,
    scrapeInterval,
    ruleLabels,
    dashboard,
    alert: {
      cluster: props.cluster,
      rateWindow,
      bufferUsageThreshold,
      memoryUsageThreshold,
      componentErrorRateThreshold,
      discardedEventRateThreshold,
      alertFor,
      severities,
      alertLabels,
      runbookBaseUrl: props.runbookBaseUrl,
      kubeStateMetricsSelector,
      cadvisorSelector,
    },
  };
}

function targetProblems(targets: readonly MonitoredWorkload[] | undefined): string[] {
  if (!Array.isArray(targets) || targets.length === 0) {
    return [
      `invalid targets ${show(targets)}: must list at least one MonitoredWorkload ` +
        `(the monitoringTarget of a VectorAgent or VectorAggregator)`,
    ];
  }
  const problems: string[] = [];
  const seenRole = new Map<string, number>();
  const seenWorkload = new Map<string, number>();
  targets.forEach((target, i) => {
    const at = `targets[${i}]`;
    problems.push(
      ...[
        oneOf(`${at}.role`, target.role, ROLES),
        oneOf(`${at}.workloadKind`, target.workloadKind, WORKLOAD_KINDS),
        dnsLabel(`${at}.namespace`, target.namespace),
        dnsSubdomain(`${at}.workloadName`, target.workloadName),
        dnsLabel(`${at}.containerName`, target.containerName),
        portName(`${at}.metricsPortName`, target.metricsPortName),
        httpPath(`${at}.metricsPath`, target.metricsPath),
      ].filter(isProblem),
    );
    problems.push(...extraEndpointProblems(at, target));
    const selector = target.selectorLabels ?? {};
    if (Object.keys(selector).length === 0) {
      problems.push(
        `invalid ${at}.selectorLabels ${show(target.selectorLabels)}: must select the workload's pods; ` +
          `an empty selector would scrape every pod in namespace ${show(target.namespace)}`,
      );
    } else {
      problems.push(...labelMap(`${at}.selectorLabels`, selector));
    }
    const roleKey = `${target.role} ${target.namespace}`;
    const previousRole = seenRole.get(roleKey);
    if (previousRole !== undefined) {
      problems.push(
        `invalid ${at}: role ${show(target.role)} in namespace ${show(target.namespace)} is already ` +
          `targets[${previousRole}]; each role is monitored once per namespace (alert names and rule groups are ` +
          `per role and namespace)`,
      );
    } else {
      seenRole.set(roleKey, i);
    }
    const workloadKey = `${target.namespace}/${target.workloadName}`;
    const previousWorkload = seenWorkload.get(workloadKey);
    if (previousWorkload !== undefined) {
      problems.push(
        `invalid ${at}: workload ${show(workloadKey)} is already targets[${previousWorkload}] ` +
          `(its PodMonitor would be written twice)`,
      );
    } else {
      seenWorkload.set(workloadKey, i);
    }
  });
  return problems;
}

function extraEndpointProblems(at: string, target: MonitoredWorkload): string[] {
  const endpoints = target.extraEndpoints;
  if (endpoints === undefined) return [];
  if (!Array.isArray(endpoints)) {
    return [`invalid ${at}.extraEndpoints ${show(endpoints)}: must be a list of { portName, path, honorLabels }`];
  }
  const problems: string[] = [];
  const ports = [target.metricsPortName];
  endpoints.forEach((endpoint: MonitoredEndpoint, j) => {
    const e = `${at}.extraEndpoints[${j}]`;
    problems.push(
      ...[portName(`${e}.portName`, endpoint?.portName), httpPath(`${e}.path`, endpoint?.path)].filter(isProblem),
    );
    if (typeof endpoint?.honorLabels !== 'boolean') {
      problems.push(`invalid ${e}.honorLabels ${show(endpoint?.honorLabels)}: must be true or false`);
    }
    if (ports.includes(endpoint?.portName)) {
      problems.push(
        `invalid ${e}.portName ${show(endpoint.portName)}: the port is scraped already; each port is scraped once`,
      );
    }
    ports.push(endpoint?.portName);
  });
  return problems;
}

/** Drops keys whose value is undefined, so `{ targetDown: undefined }` keeps the default. */
function definedEntries<T extends object>(value: T | undefined): Partial<Record<VectorAlertKind, string>> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<
    Record<VectorAlertKind, string>
  >;
}
