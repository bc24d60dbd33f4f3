import type { IConstruct } from 'constructs';
import { cidrProblem } from './cidr';
import { parseImageReference } from './image-reference';

/**
 * The error for a bad prop: names the construct path, the prop, the value given and what is
 * allowed, so the person reading a failed synth knows exactly what to change.
 */
export function propError(scope: IConstruct, prop: string, value: unknown, allowed: string): Error {
  return new Error(`${scope.node.path}: invalid ${prop} ${describeValue(value)}: ${allowed}`);
}

/** Values longer than this, as written in a message, are cut: a message quoting a megabyte is no longer read. */
export const MAX_SHOWN_LENGTH = 256;
/** How much of a cut value a message keeps. */
const SHOWN_PREFIX_LENGTH = 60;

/**
 * A value as an error message quotes it: strings in JSON quotes, NaN and Infinity as themselves (JSON would write
 * `null`, hiding the very value that is wrong), and anything longer than {@link MAX_SHOWN_LENGTH} cut to its start and
 * its length, e.g. `"aaaa…" (1100000 characters)`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    if (quoted.length <= MAX_SHOWN_LENGTH) return quoted;
    return `${JSON.stringify(value.slice(0, SHOWN_PREFIX_LENGTH)).slice(0, -1)}…" (${value.length} characters)`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= MAX_SHOWN_LENGTH ? text : `${text.slice(0, SHOWN_PREFIX_LENGTH)}… (${text.length} characters)`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name of the DNS-label kind (namespaces, services): at most 63 characters. */
export function checkDnsLabel(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    throw propError(
      scope,
      prop,
      value,
      'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
  }
  return value;
}

/** A Kubernetes object name of the DNS-subdomain kind (ConfigMaps, Secrets): at most 253 characters. */
export function checkDnsSubdomain(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw propError(scope, prop, value, 'use lowercase letters, digits, "-" and ".", at most 253 characters');
  }
  return value;
}

export function checkPort(scope: IConstruct, prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw propError(scope, prop, value, 'a port is a whole number from 1 to 65535');
  }
  return value;
}

export function checkWholeNumber(
  scope: IConstruct,
  prop: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw propError(scope, prop, value, `use a whole number ${range}`);
  }
  return value;
}

export function checkNonEmpty(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw propError(scope, prop, value, 'must not be empty');
  return value;
}

/** A `host:port` endpoint, e.g. `vector-aggregator.vector-system.svc:6000`. */
export function checkHostPort(scope: IConstruct, prop: string, value: string): { host: string; port: number } {
  const m =
    typeof value === 'string'
      ? /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?):(\d{1,5})$/.exec(value)
      : null;
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw propError(
      scope,
      prop,
      value,
      'use host:port with a DNS name or IP and a port from 1 to 65535, e.g. "vector.example.com:6000"',
    );
  }
  return { host: m[1], port };
}

/** An http(s) URL. */
export function checkUrl(scope: IConstruct, prop: string, value: string): string {
  if (!isHttpUrl(value)) {
    throw propError(
      scope,
      prop,
      value,
      'use an http:// or https:// URL, e.g. "https://prometheus.example.com/api/v1/write"',
    );
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An image tag that names a release: `1.37.0`, `v0.4.0`, `0.57.0-alpine`, `2024.06.01`; not `stable` or `1`. */
const VERSION_TAG = /^v?\d+\.\d+/;

/**
 * An image reference pinned to an exact version tag or a digest: never untagged, never `latest` or another moving
 * tag (`stable`, `lts`, a bare major version), which would change the running code without a change in `dist/`.
 * `example` is the construct's own default, so the message shows a reference that works there.
 */
export function checkPinnedImage(scope: IConstruct, prop: string, value: string, example: string): string {
  const problem = pinnedImageProblem(value, example);
  if (problem) throw propError(scope, prop, value, problem);
  return value;
}

/** What is wrong with an image reference by {@link checkPinnedImage}'s rule, or undefined. */
export function pinnedImageProblem(value: unknown, example: string): string | undefined {
  const pin = `pin the image to an exact version tag or digest, e.g. "${example}"`;
  if (typeof value !== 'string') return pin;
  const parsed = parseImageReference(value);
  if ('problem' in parsed) return `not an image reference: ${parsed.problem}; e.g. "${example}"`;
  const { tag, digest } = parsed.reference;
  if (digest === undefined && (tag === undefined || tag === 'latest')) return pin;
  if (tag !== undefined && !VERSION_TAG.test(tag)) return `the tag "${tag}" is not a version and can move: ${pin}`;
  return undefined;
}

/** An IPv4 or IPv6 CIDR block, e.g. `10.0.0.0/16`; the address must be the block's first. */
export function checkCidr(scope: IConstruct, prop: string, value: string): string {
  const problem = cidrProblem(value);
  if (problem) throw propError(scope, prop, value, problem);
  return value;
}

/** Host and port of an http(s) URL, the port defaulting by scheme. */
export function urlHostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port };
}
