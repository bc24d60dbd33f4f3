import { annotationsSizeProblem, labelKeyProblem, labelValueProblem } from '../k8s/metadata';
import { parseDuration } from './promql';

/*
 * Checks shared by the VectorMonitoring props. Each returns a problem sentence (naming the prop, the bad value and
 * what is allowed) or undefined; the construct collects them all and throws once, prefixed with its path.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PROMETHEUS_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
const MATCHER = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*`;
const MATCHER_LIST = new RegExp(String.raw`^(?:${MATCHER}(?:,${MATCHER})*)?$`);

/** The value as the error shows it; `(missing)` like the other constructs' prop errors (lib/k8s/prop-errors.ts). */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  // JSON.stringify turns NaN and Infinity into `null`, which would hide the mistake.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

export function dnsLabel(prop: string, value: unknown, maxLength = 63): string | undefined {
  if (typeof value === 'string' && value.length <= maxLength && DNS_LABEL.test(value)) return undefined;
  return (
    `invalid ${prop} ${show(value)}: must be a DNS label of at most ${maxLength} characters ` +
    `(lowercase alphanumerics and '-', starting and ending with an alphanumeric)`
  );
}

export function dnsSubdomain(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value)) return undefined;
  return (
    `invalid ${prop} ${show(value)}: must be a Kubernetes object name ` +
    `(lowercase alphanumerics, '-' and '.', starting and ending with an alphanumeric)`
  );
}

/** A Kubernetes label or annotation key: an optional DNS-subdomain prefix and '/', then a name of at most 63. */
export function labelKey(prop: string, key: string): string | undefined {
  const problem = labelKeyProblem(key);
  return problem === undefined ? undefined : `invalid ${prop} key ${show(key)}: ${problem}`;
}

/** An annotation map within the API server's 256 KiB. */
export function annotationsSize(prop: string, annotations: Readonly<Record<string, string>>): string | undefined {
  const problem = annotationsSizeProblem(annotations);
  return problem === undefined ? undefined : `invalid ${prop}: ${problem}`;
}

export function labelValue(prop: string, value: unknown, allowEmpty = true): string | undefined {
  if (labelValueProblem(value) === undefined && (allowEmpty || value !== '')) return undefined;
  return (
    `invalid ${prop} ${show(value)}: must be a${allowEmpty ? '' : ' non-empty'} Kubernetes label value ` +
    `(at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)`
  );
}

/** Every key and value of a Kubernetes label map. */
export function labelMap(prop: string, labels: unknown): string[] {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    return [`invalid ${prop} ${show(labels)}: must be an object of label keys to label values`];
  }
  return Object.entries(labels).flatMap(([key, value]) =>
    [labelKey(prop, key), labelValue(`${prop}[${show(key)}]`, value)].filter(isProblem),
  );
}

/** A Prometheus label name, as alert labels need (no '/', '.' or '-'; `__` is reserved for Prometheus). */
export function prometheusLabelName(prop: string, key: string): string | undefined {
  if (PROMETHEUS_LABEL.test(key) && !key.startsWith('__')) return undefined;
  return (
    `invalid ${prop} key ${show(key)}: must be a Prometheus label name ` +
    `(letters, digits and '_', not starting with a digit or '__')`
  );
}

export function duration(prop: string, value: unknown, allowZero: boolean): string | undefined {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms !== undefined && (allowZero || ms > 0)) return undefined;
  return (
    `invalid ${prop} ${show(value)}: must be a${allowZero ? '' : ' non-zero'} Prometheus duration ` +
    `such as 30s, 5m or 1h30m (units ms, s, m, h, d, w, y, largest first)`
  );
}

export function ratio(prop: string, value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 1) return undefined;
  return `invalid ${prop} ${show(value)}: must be a ratio in (0, 1], e.g. 0.8 for 80 %`;
}

export function nonNegative(prop: string, value: unknown, unit: string): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return undefined;
  return `invalid ${prop} ${show(value)}: must be a finite number >= 0 (${unit})`;
}

export function portName(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string' && value.length <= 15 && PORT_NAME.test(value)) return undefined;
  return (
    `invalid ${prop} ${show(value)}: must be a container port name ` +
    `(at most 15 lowercase alphanumerics and '-', with at least one letter)`
  );
}

export function httpPath(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string' && /^\/[^\s?#]*$/.test(value)) return undefined;
  return `invalid ${prop} ${show(value)}: must be an HTTP path starting with '/', without spaces, query or fragment`;
}

/** A comma-separated list of PromQL label matchers, e.g. `job="kube-state-metrics"`, or empty. */
export function matcherList(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string' && MATCHER_LIST.test(value)) return undefined;
  return (
    `invalid ${prop} ${show(value)}: must be PromQL label matchers separated by commas, ` +
    `e.g. job="kube-state-metrics", cluster="prod" (or '' for none)`
  );
}

export function httpUrl(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.search === '' && url.hash === '') {
        return undefined;
      }
    } catch {
      // reported below
    }
  }
  return `invalid ${prop} ${show(value)}: must be an http(s) URL without query or fragment`;
}

export function oneOf<T extends string>(prop: string, value: unknown, allowed: readonly T[]): string | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return undefined;
  return `invalid ${prop} ${show(value)}: must be one of ${allowed.map((a) => show(a)).join(', ')}`;
}

/** Keys of a partial record that are not in `allowed` (typos such as `targetdown`). */
export function unknownKeys(prop: string, value: object | undefined, allowed: readonly string[]): string[] {
  if (value === undefined) return [];
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `unknown ${prop} key ${show(key)}: allowed keys are ${allowed.join(', ')}`);
}

export function isProblem(problem: string | undefined): problem is string {
  return problem !== undefined;
}
