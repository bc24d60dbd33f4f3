/** `name: fieldPath` of a container's env entries set from the downward API (`fieldRef`). */
export function downwardApiEnv(container: {
  readonly env?: readonly { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
}): Record<string, string> {
  return Object.fromEntries(
    (container.env ?? []).flatMap((e) => (e.valueFrom?.fieldRef ? [[e.name, e.valueFrom.fieldRef.fieldPath]] : [])),
  );
}
