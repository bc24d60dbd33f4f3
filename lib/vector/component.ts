import type { ComponentClass, ComponentKind, ComponentOptions } from './components/kind';
import type { EventType } from './event-types';

/** A component as the pipeline holds it. */
export interface PipelineComponent {
  readonly class: ComponentClass;
  readonly id: string;
  readonly type: string;
  readonly inputs: readonly string[];
  readonly options: ComponentOptions;
  /** Undefined when the type is not one Vector has (only reachable from untyped code). */
  readonly kind: ComponentKind | undefined;
  /** Set for escape-hatch components: the event types they declared, for validation. */
  readonly custom?: { readonly accepts?: readonly EventType[]; readonly emits?: readonly EventType[] | 'passthrough' };
  readonly comment?: string;
  /** Loki sinks only: labels deliberately built from high-cardinality fields (never rendered). */
  readonly allowHighCardinalityLabels?: readonly string[];
}
