/** The three kinds of event that flow through a Vector pipeline. */
export type EventType = 'logs' | 'metrics' | 'traces';

export const ALL_EVENT_TYPES: readonly EventType[] = ['logs', 'metrics', 'traces'];

/** Readable list for messages: `logs`, `logs and metrics`, `logs, metrics and traces`. */
export function describeEventTypes(types: Iterable<EventType>): string {
  const list = [...types];
  if (list.length === 0) return 'no events';
  if (list.length === 1) return list[0];
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}
