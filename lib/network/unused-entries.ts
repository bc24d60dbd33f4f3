import type { IConstruct } from 'constructs';
import { propError } from '../k8s/prop-errors';
import { labelOf } from '../vector/validate';
import { didYouMean } from '../vector/suggest';
import type { ComponentProps, ComponentRules, PipelineWorkload } from './pipeline-rules';

/**
 * An `egress` or `ingress` entry that no component uses is a mistake (a misspelt id, a component removed or renamed,
 * a built-in one whose rule comes from the wiring): each gets a message saying which.
 */
export function unusedEntryProblems(
  scope: IConstruct,
  workloads: readonly PipelineWorkload[],
  rules: readonly ComponentRules[],
  props: ComponentProps,
): string[] {
  const problems: string[] = [];
  const ids = [...new Set(workloads.flatMap((w) => w.pipeline.allComponents.map((c) => c.id)))];
  const check = (prop: 'egress' | 'ingress', entries: Readonly<Record<string, unknown>>, used: Set<string>) => {
    for (const [id, entry] of Object.entries(entries)) {
      if (used.has(id)) continue;
      problems.push(propError(scope, `${prop}.${id}`, entry, why(prop, id)).message);
    }
  };
  const why = (prop: 'egress' | 'ingress', id: string): string => {
    const found = workloads.flatMap((w) => {
      const c = w.pipeline.component(id);
      return c ? [{ w, c }] : [];
    });
    if (found.length === 0) {
      const where =
        workloads.length === 0
          ? 'no agent or aggregator is given, whose pipeline it would be in'
          : `no component of the pipeline of ${workloads.map((w) => w.path).join(' or ')} has the id "${id}"`;
      return `${where}${didYouMean(id, ids)}`;
    }
    return found
      .map(({ w, c }) => {
        const label = labelOf(c);
        const builtIn = prop === 'egress' ? w.builtInEgress.has(label) : w.builtInListeners.has(label);
        if (builtIn) return `${label} of ${w.path} is built in: its rule follows from the construct's wiring`;
        return `${label} (${c.type}) of ${w.path} ${prop === 'egress' ? 'connects nowhere' : 'listens nowhere'}`;
      })
      .join('; ');
  };
  const union = (pick: (r: ComponentRules) => ReadonlySet<string>) => new Set(rules.flatMap((r) => [...pick(r)]));
  check(
    'egress',
    props.egress,
    union((r) => r.usedEgress),
  );
  check(
    'ingress',
    props.ingress,
    union((r) => r.usedIngress),
  );
  return problems;
}
