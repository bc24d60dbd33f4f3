import type { MonitoredWorkload } from './monitored-workload';

// Prometheus' duration grammar (the CRDs use the same pattern): units from largest to smallest, each at most once.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds of a Prometheus duration (`30s`, `1h30m`, `0`), or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  return match.slice(1).reduce((total, part, i) => total + (part === undefined ? 0 : Number(part) * UNIT_MS[i]), 0);
}

/** `a="x", b="y"`: values here are Kubernetes names and label values, which never need escaping in PromQL. */
export function matchers(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(', ');
}

/** Joins matcher lists, leaving out empty ones, so an empty user selector leaves no stray comma. */
export function joinMatchers(...parts: readonly string[]): string {
  return parts.filter((part) => part.trim() !== '').join(', ');
}

/** A RE2 pattern that matches `text` literally, written for a double-quoted PromQL string (backslashes doubled). */
function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\\\${c}`);
}

/**
 * A regex (for `pod=~"..."`) matching exactly the pod names a controller gives its pods, so that `vector-agent` does
 * not also match `vector-agent-canary`'s pods. PromQL regexes are anchored at both ends.
 */
export function podNamePattern(workload: MonitoredWorkload): string {
  const base = literalPattern(workload.workloadName);
  switch (workload.workloadKind) {
    case 'DaemonSet':
      return `${base}-[a-z0-9]{5}`;
    case 'StatefulSet':
      return `${base}-[0-9]+`;
    case 'Deployment':
      // <deployment>-<pod-template-hash (up to 10)>-<5 random>
      return `${base}-[a-z0-9]{1,10}-[a-z0-9]{5}`;
  }
}

/** The labels the PodMonitor's relabelings put on every Vector series (and `up`) of one workload. */
export function vectorSeriesMatchers(cluster: string, workload: MonitoredWorkload): string {
  return matchers({ cluster, namespace: workload.namespace, workload: workload.workloadName });
}

/** `80 %` from 0.8, without float noise such as `80.00000000000001 %`. */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(2))} %`;
}
