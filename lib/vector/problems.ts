/** One thing wrong with a pipeline: where (`sinks.loki`, `global.api`) and what to change. */
export interface VectorConfigProblem {
  readonly component: string;
  readonly message: string;
}

export function formatProblem(p: VectorConfigProblem): string {
  return `${p.component}: ${p.message}`;
}

/** Thrown when an invalid pipeline is rendered; carries every problem, not just the first. */
export class VectorConfigError extends Error {
  constructor(
    readonly problems: readonly VectorConfigProblem[],
    context = 'Vector configuration',
  ) {
    super(
      `${context} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'VectorConfigError';
  }
}
