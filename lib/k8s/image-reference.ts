/**
 * A container image reference as the container runtimes parse it: `[registry[:port]/]path[:tag][@sha256:<64 hex>]`,
 * e.g. `ghcr.io/cse-labs/heartbeat:0.4.0` or `timberio/vector@sha256:…`. The kubelet hands a malformed one to the
 * runtime, and the pod sits in `InvalidImageName`; parsing it at synth time puts the error beside the value.
 */
export interface ImageReference {
  /** `ghcr.io`, `registry.example.com:5000`, `localhost:5000`; undefined for Docker Hub's short form. */
  readonly registry?: string;
  /** The path inside the registry, lower case: `cse-labs/heartbeat`, `busybox`. */
  readonly path: string;
  readonly tag?: string;
  /** `sha256:` and 64 lower-case hex digits. */
  readonly digest?: string;
}

/** One path component: lower-case letters and digits, separated by `.`, `_`, `__` or any number of `-`. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** The runtimes' limit on registry and path together. */
const MAX_NAME_LENGTH = 255;

/** The parts of `text`, or what makes it no image reference (a sentence without the value itself). */
export function parseImageReference(text: string): { reference: ImageReference } | { problem: string } {
  const fail = (problem: string) => ({ problem });
  if (text === '') return fail('it is empty');
  if (/\s/.test(text)) return fail('it holds white space');
  const at = text.indexOf('@');
  const digest = at === -1 ? undefined : text.slice(at + 1);
  const named = at === -1 ? text : text.slice(0, at);
  if (digest !== undefined && !DIGEST.test(digest)) {
    return fail(`the digest "${digest}" is not "sha256:" followed by 64 lower-case hex digits`);
  }
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const tag = hasTag ? named.slice(colon + 1) : undefined;
  const name = hasTag ? named.slice(0, colon) : named;
  if (tag !== undefined && !TAG.test(tag)) {
    return fail(
      `the tag "${tag}" is not a tag: 1 to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    return fail(`the name (registry and path) has ${name.length} characters; the runtimes take ${MAX_NAME_LENGTH}`);
  }
  // Like the runtimes: the first component is a registry if it has a "." or a port, or is localhost.
  const slash = name.indexOf('/');
  const first = slash === -1 ? undefined : name.slice(0, slash);
  const registry = first !== undefined && (/[.:]/.test(first) || first === 'localhost') ? first : undefined;
  const path = registry === undefined ? name : name.slice(slash + 1);
  if (registry !== undefined) {
    const problem = registryProblem(registry);
    if (problem) return fail(problem);
  }
  const components = path.split('/');
  if (components.some((c) => !PATH_COMPONENT.test(c))) {
    if (components.every((c) => PATH_COMPONENT.test(c.toLowerCase()))) {
      return fail(`the repository "${path}" must be lower case: "${path.toLowerCase()}"`);
    }
    return fail(
      `the repository "${path}" is not a path of lower-case letters and digits, separated by "/", and inside a ` +
        'component by ".", "_", "__" or "-"',
    );
  }
  return {
    reference: { ...(registry ? { registry } : {}), path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) },
  };
}

function registryProblem(registry: string): string | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:]+)(?::(\d+))?$/.exec(registry);
  const host = m?.[1] ?? '';
  const port = m?.[2] === undefined ? undefined : Number(m[2]);
  const hostOk = host.startsWith('[') || host.split('.').every((c) => DOMAIN_COMPONENT.test(c));
  if (!m || !hostOk) return `the registry "${registry}" is not a host name or [IPv6 address] with an optional :port`;
  if (port !== undefined && (port < 1 || port > 65535)) return `the registry's port ${port} is not from 1 to 65535`;
  return undefined;
}
