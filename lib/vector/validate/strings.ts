import type { PipelineComponent } from '../component';
import type { GlobalOptions } from '../global-options';
import { ID_PATTERN } from './ids';
import { labelOf, type Report } from './report';

export function checkGlobal(global: GlobalOptions, report: Report): void {
  if (global.data_dir !== undefined && !global.data_dir.startsWith('/')) {
    report('global.data_dir', `must be an absolute path; got "${global.data_dir}"`);
  }
  for (const name of Object.keys(global.secret ?? {})) {
    if (!ID_PATTERN.test(name)) {
      report(`global.secret.${name}`, "backend names may contain only letters, digits, '_' and '-'");
    }
  }
}

const SECRET_REFERENCE = /SECRET\[([^\]]*)\]/g;
/** Vector's interpolation syntax: `$$` (a literal `$`), `${NAME}`, `${NAME:-default}`, `$NAME`. */
const INTERPOLATION = /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Secret references must name a configured backend; `${VAR}` only works when interpolation is on for VAR. */
export function checkStrings(
  components: readonly PipelineComponent[],
  global: GlobalOptions,
  interpolatedEnvVars: readonly string[],
  report: Report,
): void {
  const backends = new Set(Object.keys(global.secret ?? {}));
  const allowed = new Set(interpolatedEnvVars);
  const inspect = (label: string, path: string, s: string) => {
    for (const m of s.matchAll(SECRET_REFERENCE)) {
      const [backend, key] = m[1].split('.', 2);
      if (!key) report(label, `\`${path}\`: secret reference "${m[0]}" must be SECRET[<backend>.<key>]`);
      else if (!backends.has(backend)) {
        const known = backends.size > 0 ? `; configured backends: ${[...backends].join(', ')}` : '';
        report(
          label,
          `\`${path}\`: secret reference "${m[0]}" names backend "${backend}", which is not configured (addSecretBackend)${known}`,
        );
      }
    }
    for (const m of s.matchAll(INTERPOLATION)) {
      if (m[0] === '$$') continue;
      // Without interpolation a bare `$NAME` stays literal, and may well be meant (a regex, a price).
      if (m[2] !== undefined && allowed.size === 0) continue;
      const name = m[1] !== undefined ? m[1].split(/:?[-?]/, 1)[0] : m[2];
      if (!allowed.has(name)) report(label, interpolationMessage(path, m[0], name, allowed));
    }
  };
  const walk = (label: string, path: string, value: unknown): void => {
    if (typeof value === 'string') inspect(label, path, value);
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(label, `${path}[${i}]`, v);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(label, path ? `${path}.${k}` : k, v);
    }
  };
  // Vector interpolates the whole file before parsing it: secret backends and comments too.
  for (const [k, v] of Object.entries(global)) {
    if (k === 'secret') {
      for (const [name, backend] of Object.entries(v ?? {})) walk(`global.secret.${name}`, '', backend);
    } else {
      walk(`global.${k}`, k, v);
    }
  }
  // Most components reference nothing: a scan that builds no labels and paths tells which to walk.
  for (const c of components) {
    if (mayReference(c.options)) walk(labelOf(c), '', c.options);
    if (c.comment && mayReference(c.comment)) walk(labelOf(c), 'comment', c.comment);
  }
}

/** Whether any string under `value` could hold a secret reference or an interpolation. */
function mayReference(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('$') || value.includes('SECRET[');
  if (Array.isArray(value)) {
    for (const v of value) if (mayReference(v)) return true;
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const k of Object.keys(object)) if (mayReference(object[k])) return true;
  }
  return false;
}

function interpolationMessage(path: string, text: string, name: string, allowed: ReadonlySet<string>): string {
  if (allowed.size === 0) {
    return `\`${path}\` contains "${text}": Vector 0.57 does not interpolate environment variables by default, so it would stay literal; bake the value in at synth time (or list "${name}" in interpolatedEnvVars and run Vector with --dangerously-allow-env-var-interpolation)`;
  }
  return `\`${path}\` contains "${text}", but "${name}" is not in interpolatedEnvVars (${[...allowed].join(', ')}); write $$ for a literal dollar sign`;
}
