import { MIN_DISK_BUFFER_BYTES } from '../vector';

/*
 * Disk buffer sizes from an outage budget: the inverse of README "Delivery guarantees"' formula. A buffer that fills at
 * `rate` bytes per second lasts `bytes / rate` seconds, so surviving `minutes` of outage takes `rate × 60 × minutes`
 * bytes. Pure arithmetic, no Kubernetes: lib/fleet applies it to the inventory, VectorAggregator uses the volume rule.
 */

export const MIB = 1024 ** 2;
export const GIB = 1024 ** 3;

/** The agent's disk buffer in front of the aggregators without a budget: 512 MiB. */
export const DEFAULT_AGENT_BUFFER_BYTES = 512 * MIB;
/** Each aggregator replica's Loki buffer without a budget: 1 GiB. */
export const DEFAULT_AGGREGATOR_BUFFER_BYTES = GIB;

/**
 * The disk buffer that holds `minutes` of events arriving at `bytesPerSecond` (bytes as the buffer stores them):
 * rounded up to a whole MiB, and never below Vector's minimum of 268435488 bytes.
 */
export function bufferBytesFor(bytesPerSecond: number, minutes: number): number {
  const needed = Math.ceil((bytesPerSecond * 60 * minutes) / MIB) * MIB;
  return Math.max(needed, MIN_DISK_BUFFER_BYTES);
}

/**
 * One aggregator replica's Loki buffer for a Loki outage of `minutes`: the agents spread the monitoring cluster's
 * total rate over the replicas, so each fills at `totalBytesPerSecond / replicas` (with autoscaling, the fewest
 * replicas there may be, which fill fastest).
 */
export function aggregatorBufferBytesFor(totalBytesPerSecond: number, minutes: number, replicas: number): number {
  return bufferBytesFor(totalBytesPerSecond / replicas, minutes);
}

/** The aggregators' volume for a buffer: the buffer rounded up to a whole GiB, plus 1 GiB for Vector's other data. */
export function volumeBytesFor(bufferBytes: number): number {
  return Math.ceil(bufferBytes / GIB) * GIB + GIB;
}

/** {@link volumeBytesFor} as a Kubernetes quantity, e.g. `"3Gi"`. */
export function volumeSizeFor(bufferBytes: number): string {
  return `${volumeBytesFor(bufferBytes) / GIB}Gi`;
}

/** The forward formula: the minutes a buffer of `bufferBytes` lasts at `bytesPerSecond`. */
export function minutesBufferLasts(bufferBytes: number, bytesPerSecond: number): number {
  return bufferBytes / bytesPerSecond / 60;
}
