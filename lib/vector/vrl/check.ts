import type { PipelineComponent } from '../component';
import { labelOf, type Report } from '../validate/report';
import { compileVrl, formatVrlDiagnostic } from './compiler';
import { vrlProgramsOf } from './programs';

/**
 * Compiles every VRL program of the pipeline (remap sources and conditions) with VRL's compiler and reports each
 * compile error, e.g. `VRL error in \`source\` at line 3, column 5: call to undefined function \`parse_jsn\` [E105]
 * (did you mean "parse_json"?)`. The compiler is loaded only when a component holds VRL.
 */
export function checkVrl(components: readonly PipelineComponent[], report: Report): void {
  for (const c of components) {
    for (const program of vrlProgramsOf(c)) {
      for (const d of compileVrl(program.source, program.kind)) {
        report(labelOf(c), `VRL error in \`${program.option}\` at ${formatVrlDiagnostic(d)}`);
      }
    }
  }
}
