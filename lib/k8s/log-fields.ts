// Fields of the log events the agents send and the aggregators read: the contract between lib/agent and
// lib/aggregator, here so that neither imports the other.

/**
 * A digest (VRL `seahash`) of the raw line as `kubernetes_logs` read it, set by the agent before a JSON line is
 * parsed: with Vector's `file`, `stream` and `timestamp` it names one delivery of one line.
 */
export const LINE_HASH_FIELD = 'line_hash';

/**
 * What the aggregators' dedupe compares: one delivery of one line, in Vector's values only (the agent's cluster,
 * the file it read, the stream, the container runtime's write time with nanoseconds, the raw line's digest), never
 * a field the line itself sets. Two events equal in all of them are the same line delivered twice.
 */
export const DELIVERY_FIELDS = ['cluster', 'file', 'stream', 'timestamp', LINE_HASH_FIELD] as const;
