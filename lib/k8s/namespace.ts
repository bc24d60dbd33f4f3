import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { podSecurityLabels, type PodSecurityLevel } from './security';

/** Pod Security levels from strictest to most permissive. */
const LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

interface SharedNamespace {
  readonly object: k8s.KubeNamespace;
  level: PodSecurityLevel;
}

const NAMESPACES = new WeakMap<Chart, Map<string, SharedNamespace>>();

/**
 * The chart's one Namespace object called `name`, created by the first construct that asks for it. Each construct
 * states the Pod Security level its pods need; the namespace enforces the strictest level that admits them all
 * (a privileged agent and a restricted aggregator in one namespace make it privileged). Two constructs that each
 * wrote their own Namespace would give kustomize a duplicate and `kubectl apply` whichever came last.
 *
 * Labels are those of the first construct; the Pod Security labels follow every construct.
 */
export function sharedNamespace(
  scope: IConstruct,
  name: string,
  level: PodSecurityLevel,
  labels: Readonly<Record<string, string>>,
): k8s.KubeNamespace {
  const chart = Chart.of(scope);
  let byName = NAMESPACES.get(chart);
  if (!byName) NAMESPACES.set(chart, (byName = new Map()));
  const existing = byName.get(name);
  if (existing) {
    if (LEVELS.indexOf(level) > LEVELS.indexOf(existing.level)) {
      existing.level = level;
      for (const [key, value] of Object.entries(podSecurityLabels(level)))
        existing.object.metadata.addLabel(key, value);
    }
    return existing.object;
  }
  const object = new k8s.KubeNamespace(chart, `Namespace-${name}`, {
    metadata: { name, labels: { ...labels, ...podSecurityLabels(level) } },
  });
  byName.set(name, { object, level });
  return object;
}
