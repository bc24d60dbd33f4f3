import type { IConstruct } from 'constructs';
import { propError } from './prop-errors';

/** Who a cluster is: baked into every event and series it ships, so one Loki and one Prometheus can tell clusters apart. */
export interface ClusterIdentity {
  /** Cluster name, e.g. `dev`; a DNS label. */
  readonly name: string;
  /** e.g. `development`, `staging`, `production`. */
  readonly environment: string;
  /** e.g. the Hetzner location `fsn1`. */
  readonly region: string;
}

/** VRL string literal: the values are baked in at synth time, never read from the environment. */
export function vrlString(value: string): string {
  return JSON.stringify(value);
}

const IDENTITY_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Cluster identity values end up as Loki labels, metric tags and VRL literals: keep them to label-value characters. */
export function checkClusterIdentity(scope: IConstruct, prop: string, cluster: ClusterIdentity): ClusterIdentity {
  for (const field of ['name', 'environment', 'region'] as const)
    checkIdentityValue(scope, `${prop}.${field}`, cluster?.[field]);
  return cluster;
}

/** One identity value (a cluster name, environment or region), as {@link checkClusterIdentity} checks it. */
export function checkIdentityValue(scope: IConstruct, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !IDENTITY_VALUE.test(value)) {
    throw propError(
      scope,
      prop,
      value,
      'use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    );
  }
  return value;
}
