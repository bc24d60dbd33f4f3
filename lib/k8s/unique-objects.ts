import { ApiObject, Chart } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';

const GUARDED = new WeakSet<Chart>();

/**
 * Fails the synth when two constructs of the chart write the same object (kind, namespace and name), naming both
 * construct paths: kustomize refuses such a file and `kubectl apply` keeps whichever comes last. Constructs call this
 * once each; the chart is checked once. Namespaces are shared instead (`sharedNamespace`), so they never clash.
 */
export function guardUniqueObjects(scope: Construct): void {
  const chart = Chart.of(scope);
  if (GUARDED.has(chart)) return;
  GUARDED.add(chart);
  chart.node.addValidation({
    validate: () => {
      const first = new Map<string, IConstruct>();
      const problems: string[] = [];
      for (const c of chart.node.findAll()) {
        if (!(c instanceof ApiObject) || Chart.of(c) !== chart) continue;
        const key = `${c.kind} ${c.metadata.namespace ? `${c.metadata.namespace}/` : ''}${c.name}`;
        const seen = first.get(key);
        if (!seen) first.set(key, c);
        else
          problems.push(
            `${key} is written twice, by ${owner(seen)} and by ${owner(c)}: give one of them another name or namespace (its name props), or leave one out (e.g. a VectorClientPki beside the VectorPki it would copy: use VectorPki.addClientCertificate there)`,
          );
      }
      return problems;
    },
  });
}

/** The construct that made an L1 object: its scope's path. */
const owner = (o: IConstruct) => o.node.scope?.node.path ?? o.node.path;
