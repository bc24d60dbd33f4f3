import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { formatProblem, type Listener, type VectorPipeline } from '../vector';
import { CONFIG_CHECKSUM_ANNOTATION, sha256 } from './checksum';

export interface VectorConfigProps {
  readonly pipeline: VectorPipeline;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Where the config is mounted in the Vector container, and the file Vector is started with. */
export const VECTOR_CONFIG_DIR = '/etc/vector';
export const VECTOR_CONFIG_FILE = 'vector.yaml';

/**
 * The ConfigMap of a Vector workload. The config is rendered at synth time, not at construction,
 * so components added to the pipeline later still land in it; an invalid pipeline fails the
 * synth with every problem, each under this construct's path.
 */
export class VectorConfig extends Construct {
  readonly configMapName: string;
  private readonly pipeline: VectorPipeline;

  constructor(scope: Construct, id: string, props: VectorConfigProps) {
    super(scope, id);
    this.pipeline = props.pipeline;
    this.configMapName = props.name;
    this.node.addValidation({ validate: () => this.pipeline.validate().map(formatProblem) });
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      data: { [VECTOR_CONFIG_FILE]: Lazy.any({ produce: () => this.render() }) },
    });
  }

  /** The pod-template annotations that roll the pods when the rendered config changes. */
  checksumAnnotations(): Record<string, string> {
    return { [CONFIG_CHECKSUM_ANNOTATION]: Lazy.any({ produce: () => sha256(this.render()) }) };
  }

  /**
   * The container ports of every address the config binds, named by the given map (component
   * label to port name) or else after the component id, always unique and valid IANA names.
   */
  containerPorts(names: Readonly<Record<string, string>>): k8s.ContainerPort[] {
    return Lazy.any({ produce: () => toContainerPorts(this.pipeline.listeners(), names) });
  }

  private render(): string {
    return this.pipeline.render();
  }
}

function toContainerPorts(
  listeners: readonly Listener[],
  names: Readonly<Record<string, string>>,
): k8s.ContainerPort[] {
  const taken = new Set(listeners.map((l) => names[l.component]).filter((n): n is string => n !== undefined));
  return listeners.map((l) => {
    let name = names[l.component];
    if (name === undefined) {
      name = uniquePortName(portNameFrom(l.component.slice(l.component.indexOf('.') + 1)), taken);
      taken.add(name);
    }
    return { name, containerPort: l.port, protocol: 'TCP' };
  });
}

/** An IANA service name: at most 15 lowercase letters, digits and single '-', with a letter, no '-' at either end. */
function portNameFrom(id: string): string {
  const name = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 15)
    .replace(/^-+|-+$/g, '');
  return /[a-z]/.test(name) ? name : `port-${name}`.slice(0, 15).replace(/-+$/, '');
}

function uniquePortName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const candidate = `${base.slice(0, 15 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
