import type { ComponentClass } from '../components/kind';
import type { PipelineComponent } from '../component';

export const SECTION: Readonly<Record<ComponentClass, string>> = {
  source: 'sources',
  transform: 'transforms',
  sink: 'sinks',
};

export const labelOf = (c: Pick<PipelineComponent, 'class' | 'id'>) => `${SECTION[c.class]}.${c.id}`;

/** Records one problem of `component` (`sources.x`, `global.api`). */
export type Report = (component: string, message: string) => void;
