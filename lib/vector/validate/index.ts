import type { PipelineComponent } from '../component';
import type { GlobalOptions } from '../global-options';
import type { VectorConfigProblem } from '../problems';
import { checkVrl } from '../vrl/check';
import { checkComponent } from './component';
import { checkEventTypes } from './event-types';
import { checkInputs, checkCycles } from './graph';
import { checkIds } from './ids';
import { checkListeners } from './listeners';
import { checkLokiLabels } from './loki-labels';
import type { Report } from './report';
import { checkGlobal, checkStrings } from './strings';

export { type Listener, listenersOf, parseAddress } from './listeners';
export { labelOf } from './report';

/**
 * Checks a pipeline the way Vector would at startup, and more: every problem is reported, each
 * with the component it belongs to. Linear in components plus edges.
 */
export function validatePipeline(
  components: readonly PipelineComponent[],
  global: GlobalOptions,
  interpolatedEnvVars: readonly string[],
): VectorConfigProblem[] {
  const problems: VectorConfigProblem[] = [];
  const report: Report = (component, message) => problems.push({ component, message });

  const byId = checkIds(components, report);
  for (const c of components) checkComponent(c, report);
  if (components.length === 0) report('pipeline', 'has no components: add at least one source and one sink');
  const graph = checkInputs(components, byId, report);
  const inCycle = checkCycles(components, graph, report);
  checkEventTypes(components, graph, inCycle, report);
  checkListeners(components, global, report);
  checkLokiLabels(components, report);
  checkGlobal(global, report);
  checkStrings(components, global, interpolatedEnvVars, report);
  checkVrl(components, report);
  return problems;
}
