import { VECTOR_VERSION } from './version';

/**
 * Vector's template confinement, as one fact tied to the Vector version: since 0.57.0 (its upgrade
 * guide, and the loki sink's `dangerously_allow_unconfined_template_resolution` option in the
 * embedded 0.57.0 reference, "Disable all template confinement checks for this sink") the sinks in
 * `CONFINED_TEMPLATE_SINKS` refuse to start on a template with no literal prefix, such as a Loki
 * label value of just `"{{ namespace }}"`, unless the sink sets that option.
 *
 * Checked at Vector's source, tag v0.57.0: `src/sinks/loki/sink.rs` `confine_template_map` confines both the keys
 * and the values of `labels` and of `structured_metadata` (and `tenant_id`). On Vector's main branch after 0.57.0
 * (commit d46050692f, "create UnconfinedTemplate and ConfinedTemplate abstractions") label and structured-metadata
 * values become unconfined and only keys and `tenant_id` stay confined: the upgrade that brings it should set
 * `until` here (or split the rule per option) and drop the flag where only values are whole-field templates.
 *
 * An upgrade to a Vector that lifts the rule (or renames the option) changes `until` / the option
 * name here, and nothing else: the validator and every pipeline that builds Loki labels ask
 * {@link templatesConfined} / {@link allowUnconfinedTemplates}.
 */
export interface TemplateConfinementRule {
  /** The first Vector release that confines templates. */
  readonly since: string;
  /** The first release that no longer does. @default undefined (none has lifted it) */
  readonly until?: string;
}

export const TEMPLATE_CONFINEMENT = {
  /** The first Vector release that confines templates. */
  since: '0.57.0',
  /** The first release that no longer does; `undefined` while no release has lifted it. */
  until: undefined as string | undefined,
  /** The sink option that turns the check off. */
  option: 'dangerously_allow_unconfined_template_resolution',
} as const;

/**
 * Whether Vector `version` (default {@link VECTOR_VERSION}) refuses unconfined templates in the confining sinks, under
 * `rule` (default {@link TEMPLATE_CONFINEMENT}; another one only to test what a release that lifts it would change).
 */
export function templatesConfined(
  version: string = VECTOR_VERSION,
  rule: TemplateConfinementRule = TEMPLATE_CONFINEMENT,
): boolean {
  const { since, until } = rule;
  return compareVersions(version, since) >= 0 && (until === undefined || compareVersions(version, until) < 0);
}

/**
 * The sink options that let a confining sink resolve whole-field templates (`{{ field }}`) under
 * Vector `version`: `{ dangerously_allow_unconfined_template_resolution: true }` while the rule holds,
 * `{}` once it does not. Spread it into a sink whose templates are not paths (Loki labels).
 */
export function allowUnconfinedTemplates(version: string = VECTOR_VERSION): {
  readonly dangerously_allow_unconfined_template_resolution?: true;
} {
  return templatesConfined(version) ? { dangerously_allow_unconfined_template_resolution: true } : {};
}

/** Compares `major.minor.patch` release numbers (a `v` prefix and a `-suffix` are ignored). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const parts = v.replace(/^v/, '').split('-')[0].split('.').map(Number);
    if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new Error(`"${v}" is not a Vector release number: give major.minor.patch, e.g. 0.57.0`);
    }
    return parts;
  };
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
