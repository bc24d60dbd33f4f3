import { type ComponentClass, defineKind } from './components/kind';
import { knownKinds } from './components/registry';
import type { SinkSpec } from './components/sinks';
import type { SourceSpec } from './components/sources';
import type { TransformSpec } from './components/transforms';
import type { EventType } from './event-types';
import type { GlobalOptions, SecretBackend } from './global-options';
import { VectorConfigError, type VectorConfigProblem } from './problems';
import type { PipelineComponent } from './component';
import { renderConfig, toConfigObject } from './render';
import { type Listener, listenersOf, validatePipeline } from './validate';

export type { PipelineComponent } from './component';

/** Options of a component added through an escape hatch, rendered as given. */
export type CustomOptions = Readonly<Record<string, unknown>>;

/** Extra outputs of a custom component beyond its id. */
export interface CustomOutputs {
  /** Whether `id` itself is an output. @default true */
  readonly default?: boolean;
  /** Named outputs, read as `id.name`. @default none */
  readonly named?: readonly string[];
}

/** A source the model has no type for. Its event types must be declared. */
export interface CustomSourceSpec {
  readonly type: string;
  /** Event types it emits. */
  readonly emits: readonly EventType[];
  readonly options?: CustomOptions;
  readonly outputs?: CustomOutputs;
  /** The `host:port` it binds, so that port clashes are found. @default none */
  readonly listenAddress?: string;
}

/** A transform the model has no type for. Its event types must be declared. */
export interface CustomTransformSpec {
  readonly type: string;
  readonly inputs: readonly string[];
  readonly accepts: readonly EventType[];
  /** Fixed event types, or `passthrough` for whatever accepted types come in. */
  readonly emits: readonly EventType[] | 'passthrough';
  readonly options?: CustomOptions;
  readonly outputs?: CustomOutputs;
}

/** A sink the model has no type for. Its event types must be declared. */
export interface CustomSinkSpec {
  readonly type: string;
  readonly inputs: readonly string[];
  readonly accepts: readonly EventType[];
  readonly options?: CustomOptions;
  /** The `host:port` it binds, if it serves anything. @default none */
  readonly listenAddress?: string;
}

type CustomSpec = {
  readonly type: string;
  readonly inputs: readonly string[];
  readonly accepts?: readonly EventType[];
  readonly emits?: readonly EventType[] | 'passthrough';
  readonly options?: CustomOptions;
  readonly outputs?: CustomOutputs;
  readonly listenAddress?: string;
};

/** A transform's spec without `inputs`, for {@link VectorPipeline.insertAfter}, which sets them. */
export type TransformSpecWithoutInputs = TransformSpec extends infer T
  ? T extends unknown
    ? Omit<T, 'inputs'>
    : never
  : never;

/** Extra, non-Vector information about a component. */
export interface ComponentNotes {
  /** Rendered as a YAML comment above the component: say why it is configured this way. */
  readonly comment?: string;
  /**
   * Loki sinks only: the names of `labels` you deliberately build from a high-cardinality field
   * (pod, node, uid, trace or request id; see `HIGH_CARDINALITY_FIELDS`), which `validate()`
   * otherwise refuses. Not rendered into Vector's config.
   * @default [] (every such label is refused)
   */
  readonly allowHighCardinalityLabels?: readonly string[];
}

export interface VectorPipelineProps {
  /** Vector's top-level options. @default none */
  readonly global?: GlobalOptions;
  /**
   * Environment variables the config may reference as `${NAME}`. Vector 0.57 does not
   * interpolate environment variables unless started with `--dangerously-allow-env-var-interpolation`,
   * so any `${NAME}` is reported unless its name is listed here, and whoever runs a config that
   * lists names must pass that flag (see {@link VectorPipeline.needsEnvVarInterpolation}).
   * @default [] (bake every value in at synth time)
   */
  readonly interpolatedEnvVars?: readonly string[];
}

/**
 * A Vector configuration as typed data: components are added with their inputs, `validate()`
 * reports every problem at once, and `render()` gives deterministic YAML or throws.
 */
export class VectorPipeline {
  private readonly components: PipelineComponent[] = [];
  private global: GlobalOptions;
  readonly interpolatedEnvVars: readonly string[];

  constructor(props: VectorPipelineProps = {}) {
    this.global = props.global ?? {};
    this.interpolatedEnvVars = props.interpolatedEnvVars ?? [];
  }

  /** Whether Vector must run with `--dangerously-allow-env-var-interpolation` for this config. */
  get needsEnvVarInterpolation(): boolean {
    return this.interpolatedEnvVars.length > 0;
  }

  /**
   * Sets top-level options. Object options merge one level deep, so `setGlobal({ api: { enabled: true } })`
   * keeps an address set before, and secret backends added earlier stay.
   */
  setGlobal(options: GlobalOptions): this {
    const merged: Record<string, unknown> = { ...this.global };
    for (const [key, value] of Object.entries(options)) {
      const current = merged[key];
      const bothObjects = [current, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
      merged[key] = bothObjects ? { ...(current as object), ...(value as object) } : value;
    }
    this.global = merged as GlobalOptions;
    return this;
  }

  /** Adds (or replaces) a secret backend, referenced as `SECRET[name.key]`. */
  addSecretBackend(name: string, backend: SecretBackend): this {
    this.global = { ...this.global, secret: { ...this.global.secret, [name]: backend } };
    return this;
  }

  get globalOptions(): GlobalOptions {
    return this.global;
  }

  addSource(id: string, spec: SourceSpec, notes: ComponentNotes = {}): this {
    return this.add('source', id, spec, notes);
  }

  addTransform(id: string, spec: TransformSpec, notes: ComponentNotes = {}): this {
    return this.add('transform', id, spec, notes);
  }

  addSink(id: string, spec: SinkSpec, notes: ComponentNotes = {}): this {
    return this.add('sink', id, spec, notes);
  }

  /** Escape hatch: a source type the model lacks, with the event types it emits. */
  addCustomSource(id: string, spec: CustomSourceSpec, notes: ComponentNotes = {}): this {
    return this.addCustom('source', id, { ...spec, inputs: [] }, notes);
  }

  /** Escape hatch: a transform type the model lacks, with the event types it accepts and emits. */
  addCustomTransform(id: string, spec: CustomTransformSpec, notes: ComponentNotes = {}): this {
    return this.addCustom('transform', id, spec, notes);
  }

  /** Escape hatch: a sink type the model lacks, with the event types it accepts. */
  addCustomSink(id: string, spec: CustomSinkSpec, notes: ComponentNotes = {}): this {
    return this.addCustom('sink', id, spec, notes);
  }

  /** Makes a transform or sink also read these outputs (e.g. a user's sink tapping a built-in transform). */
  addInputs(id: string, ...inputs: string[]): this {
    const index = this.readerIndex(id, 'add inputs to');
    this.components[index] = { ...this.components[index], inputs: [...this.components[index].inputs, ...inputs] };
    return this;
  }

  /**
   * Replaces the inputs of a transform or sink, e.g. to make a built-in sink read a user's transform. The new
   * inputs are checked by `validate()` like any others.
   */
  setInputs(id: string, inputs: readonly string[]): this {
    const index = this.readerIndex(id, 'set inputs of');
    this.components[index] = { ...this.components[index], inputs: [...inputs] };
    return this;
  }

  /**
   * Puts a transform between an output and every component that reads it: the transform reads `output` (an id,
   * or a named output such as `by_type.logs`), and each former reader of `output` reads the transform instead.
   * For example a filter in front of the agent's `to_aggregators`:
   * `insertAfter('enrich_logs', 'drop_debug', { type: 'filter', condition: '.severity != "debug"' })`.
   */
  insertAfter(output: string, id: string, spec: TransformSpecWithoutInputs, notes: ComponentNotes = {}): this {
    const producer = output.split('.', 1)[0];
    if (!this.component(producer)) throw new Error(`Vector pipeline: no component "${producer}" to insert after`);
    if (this.component(id)) throw new Error(`Vector pipeline: a component "${id}" exists already`);
    for (const [i, c] of this.components.entries()) {
      if (c.inputs.includes(output))
        this.components[i] = { ...c, inputs: c.inputs.map((n) => (n === output ? id : n)) };
    }
    return this.addTransform(id, { ...spec, inputs: [output] } as TransformSpec, notes);
  }

  /** The component with this id, if any. */
  component(id: string): PipelineComponent | undefined {
    return this.components.find((c) => c.id === id);
  }

  /** Every component, in the order added. */
  get allComponents(): readonly PipelineComponent[] {
    return this.components;
  }

  /** Every problem, each naming the component; empty when the pipeline is valid. */
  validate(): VectorConfigProblem[] {
    return validatePipeline(this.components, this.global, this.interpolatedEnvVars);
  }

  /** The addresses the running config binds (API, `vector` source, exporters): for Services and policies. */
  listeners(): Listener[] {
    return listenersOf(this.components, this.global);
  }

  /** The config as a plain object; throws {@link VectorConfigError} listing every problem. */
  toConfig(): Record<string, unknown> {
    this.assertValid();
    return toConfigObject(this.components, this.global);
  }

  /** Deterministic YAML; throws {@link VectorConfigError} listing every problem. */
  render(): string {
    this.assertValid();
    return renderConfig(this.components, this.global);
  }

  private readerIndex(id: string, action: string): number {
    const index = this.components.findIndex((c) => c.id === id);
    const target = this.components[index];
    if (!target) throw new Error(`Vector pipeline: no component "${id}" to ${action}`);
    if (target.class === 'source') throw new Error(`Vector pipeline: sources.${id} is a source and takes no inputs`);
    return index;
  }

  private assertValid(): void {
    const problems = this.validate();
    if (problems.length > 0) throw new VectorConfigError(problems);
  }

  private add(cls: ComponentClass, id: string, spec: SourceSpec | TransformSpec | SinkSpec, notes: ComponentNotes) {
    const { type, inputs, ...given } = spec as unknown as { type: string; inputs?: readonly string[] };
    // An option set to undefined is an option not set, as it is in the rendered YAML.
    const options = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    this.components.push({
      class: cls,
      id,
      type,
      inputs: typeof inputs === 'string' ? inputs : [...(inputs ?? [])],
      options,
      kind: knownKinds(cls).get(type),
      comment: notes.comment,
      ...(notes.allowHighCardinalityLabels
        ? { allowHighCardinalityLabels: [...notes.allowHighCardinalityLabels] }
        : {}),
    });
    return this;
  }

  private addCustom(cls: ComponentClass, id: string, spec: CustomSpec, notes: ComponentNotes): this {
    const options = spec.options ?? {};
    const kind = defineKind(cls, {
      type: spec.type,
      optionNames: Object.keys(options),
      accepts: spec.accepts,
      emits: spec.emits,
      outputs: () => ({ default: spec.outputs?.default ?? true, named: spec.outputs?.named ?? [] }),
      listenAddress: () => spec.listenAddress,
    });
    const custom = { accepts: spec.accepts, emits: spec.emits };
    this.components.push({
      class: cls,
      id,
      type: spec.type,
      inputs: [...spec.inputs],
      options,
      kind,
      custom,
      comment: notes.comment,
      ...(notes.allowHighCardinalityLabels
        ? { allowHighCardinalityLabels: [...notes.allowHighCardinalityLabels] }
        : {}),
    });
    return this;
  }
}
