import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { guardUniqueObjects } from './unique-objects';
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
 * `labels` (who the namespace belongs to) are those of the first construct; every construct's `extraLabels` (labels
 * that select the namespace, e.g. for log collection) are added, and the Pod Security labels follow every construct.
 */
export function sharedNamespace(
  scope: Construct,
  name: string,
  level: PodSecurityLevel,
  labels: Readonly<Record<string, string>>,
  extraLabels: Readonly<Record<string, string>> = {},
): k8s.KubeNamespace {
  const chart = Chart.of(scope);
  guardUniqueObjects(scope);
  let byName = NAMESPACES.get(chart);
  if (!byName) NAMESPACES.set(chart, (byName = new Map()));
  const existing = byName.get(name);
  if (existing) {
    for (const [key, value] of Object.entries(extraLabels)) existing.object.metadata.addLabel(key, value);
    if (LEVELS.indexOf(level) > LEVELS.indexOf(existing.level)) {
      existing.level = level;
      for (const [key, value] of Object.entries(podSecurityLabels(level)))
        existing.object.metadata.addLabel(key, value);
    }
    return existing.object;
  }
  // Under the first construct, where a namespace it alone owns always was: the output of such a chart is unchanged.
  const object = new k8s.KubeNamespace(scope, 'Namespace', {
    metadata: { name, labels: { ...labels, ...extraLabels, ...podSecurityLabels(level) } },
  });
  byName.set(name, { object, level });
  return object;
}
