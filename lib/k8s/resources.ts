import { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { propError } from './prop-errors';

/** CPU and memory as Kubernetes quantities, e.g. `{ cpu: '100m', memory: '128Mi' }`. */
export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
}

/** Requests and limits of one container. Both are always set: nothing runs unbounded. */
export interface ContainerResources {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}

const CPU = /^(\d+(\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_FACTOR: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Millicores of a CPU quantity, or undefined when it does not parse. */
export function cpuMillis(quantity: string): number | undefined {
  const m = CPU.exec(quantity);
  return m ? Number(m[1]) * (m[3] === 'm' ? 1 : 1000) : undefined;
}

/** Bytes of a memory quantity, or undefined when it does not parse. */
export function memoryBytes(quantity: string): number | undefined {
  const m = MEMORY.exec(quantity);
  return m ? Number(m[1]) * MEMORY_FACTOR[m[3] ?? ''] : undefined;
}

/** Checks quantities parse and requests do not exceed limits. */
export function checkResources(scope: IConstruct, prop: string, r: ContainerResources): ContainerResources {
  for (const kind of ['requests', 'limits'] as const) {
    if (cpuMillis(r[kind]?.cpu) === undefined) {
      throw propError(scope, `${prop}.${kind}.cpu`, r[kind]?.cpu, 'use a CPU quantity such as "100m" or "0.5"');
    }
    if (memoryBytes(r[kind]?.memory) === undefined) {
      throw propError(
        scope,
        `${prop}.${kind}.memory`,
        r[kind]?.memory,
        'use a memory quantity such as "128Mi" or "1Gi"',
      );
    }
  }
  if ((cpuMillis(r.requests.cpu) as number) > (cpuMillis(r.limits.cpu) as number)) {
    throw propError(scope, `${prop}.requests.cpu`, r.requests.cpu, `must not exceed limits.cpu (${r.limits.cpu})`);
  }
  if ((memoryBytes(r.requests.memory) as number) > (memoryBytes(r.limits.memory) as number)) {
    throw propError(
      scope,
      `${prop}.requests.memory`,
      r.requests.memory,
      `must not exceed limits.memory (${r.limits.memory})`,
    );
  }
  return r;
}

/** The L1 form, with typed quantities (a plain string quantity is dropped by cdk8s-plus). */
export function toResourceRequirements(r: ContainerResources): k8s.ResourceRequirements {
  const amounts = (a: ResourceAmounts) => ({
    cpu: k8s.Quantity.fromString(a.cpu),
    memory: k8s.Quantity.fromString(a.memory),
  });
  return { requests: amounts(r.requests), limits: amounts(r.limits) };
}
