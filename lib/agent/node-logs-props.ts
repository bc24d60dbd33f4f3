import type { IConstruct } from 'constructs';
import { checkWholeNumber, propError } from '../k8s/prop-errors';
import { VECTOR_VERSION } from '../vector';
import { MULTILINE_LANGUAGES, type MultilineLanguage, type MultilineSettings } from './multiline';

/** The image the agent defaults to with journald on: the `-debian` images have `journalctl`, distroless ones do not. */
export const JOURNALD_IMAGE = `timberio/vector:${VECTOR_VERSION}-debian`;
/** The units the agent reads from the journal by default: the kubelet and the container runtime. */
export const DEFAULT_JOURNALD_UNITS = ['kubelet.service', 'containerd.service'] as const;

export interface JournaldOptions {
  /**
   * The systemd units read, e.g. add `crio.service` or `docker.service` for those runtimes.
   * @default ['kubelet.service', 'containerd.service']
   */
  readonly units?: readonly string[];
  /**
   * The journal directory inside the container (Vector's `journal_directory`), e.g. `/var/log/journal`; it must be
   * under `/var/log` or `/run/log`, which the agent mounts.
   * @default unset: journalctl reads `/var/log/journal` (persistent journal) or `/run/log/journal` (volatile)
   */
  readonly journalDirectory?: string;
}

export interface MultilineOptions {
  /**
   * Languages whose stack-trace lines are appended to the line before them. With `startPattern` too, a line starts an
   * event when it matches the pattern and is no trace line of these languages.
   * @default ['java', 'python', 'go'] without startPattern, none with it
   */
  readonly languages?: readonly MultilineLanguage[];
  /**
   * A regex (Rust syntax, as in VRL) matching the first line of every event, e.g. `^\d{4}-\d{2}-\d{2}`: every other
   * line is appended to the event before it.
   * @default none (the language patterns decide)
   */
  readonly startPattern?: string;
  /** A merged event is sent when no line has come for this long (ms). @default 2000 */
  readonly expireAfterMs?: number;
  /** A merged event is sent when it holds this many lines. @default 500 */
  readonly maxLines?: number;
}

const UNIT = /^[A-Za-z0-9:_.@\\-]+\.(service|socket|scope|slice|mount|timer)$/;

export function resolveJournald(
  scope: IConstruct,
  prop: boolean | JournaldOptions | undefined,
  image: string | undefined,
): {
  readonly settings: false | { readonly units: readonly string[]; readonly journalDirectory: string | undefined };
  readonly image: string | undefined;
} {
  if (prop === false) return { settings: false, image };
  const o = prop === true || prop === undefined ? {} : prop;
  const units = o.units ?? DEFAULT_JOURNALD_UNITS;
  if (units.length === 0) {
    throw propError(scope, 'journald.units', units, 'give at least one systemd unit, or set journald: false');
  }
  units.forEach((u, i) => {
    if (typeof u !== 'string' || !UNIT.test(u)) {
      throw propError(scope, `journald.units[${i}]`, u, 'a systemd unit name with its suffix, e.g. "kubelet.service"');
    }
  });
  const dir = o.journalDirectory;
  if (dir !== undefined && !/^\/(var|run)\/log(\/[^/\0]+)*\/?$/.test(dir)) {
    throw propError(
      scope,
      'journald.journalDirectory',
      dir,
      'an absolute path under /var/log or /run/log (the directories the agent mounts), e.g. "/var/log/journal"',
    );
  }
  if (image !== undefined && /distroless/.test(image)) {
    throw propError(
      scope,
      'image',
      image,
      `the journald source runs journalctl, which distroless images lack: use a -debian image such as "${JOURNALD_IMAGE}", or set journald: false`,
    );
  }
  return { settings: { units: [...units], journalDirectory: dir }, image: image ?? JOURNALD_IMAGE };
}

/** Regex features the JavaScript check accepts but Rust's regex crate (VRL) does not. */
const UNSUPPORTED = [
  { re: /\(\?<?[=!]/, what: 'look-around ((?=, (?!, (?<=, (?<!)' },
  { re: /\\[1-9]/, what: 'back-references (\\1)' },
];

export function resolveMultiline(
  scope: IConstruct,
  prop: boolean | MultilineOptions | undefined,
  kubernetesLogs: boolean,
): false | MultilineSettings {
  if (prop === undefined || prop === false) return false;
  if (!kubernetesLogs) {
    throw propError(scope, 'multiline', prop, 'multiline merges container logs: it needs kubernetesLogs on');
  }
  const o = prop === true ? {} : prop;
  const languages = o.languages ?? (o.startPattern === undefined ? MULTILINE_LANGUAGES : []);
  if (o.startPattern === undefined && languages.length === 0) {
    throw propError(scope, 'multiline.languages', languages, `give at least one of ${MULTILINE_LANGUAGES.join(', ')}`);
  }
  languages.forEach((l, i) => {
    if (!(MULTILINE_LANGUAGES as readonly string[]).includes(l)) {
      throw propError(scope, `multiline.languages[${i}]`, l, `one of ${MULTILINE_LANGUAGES.join(', ')}`);
    }
  });
  const start = o.startPattern;
  if (start !== undefined) {
    if (typeof start !== 'string' || start === '') {
      throw propError(scope, 'multiline.startPattern', start, 'a non-empty regex matching the first line of an event');
    }
    try {
      new RegExp(start, 'u');
    } catch (e) {
      throw propError(scope, 'multiline.startPattern', start, `not a valid regex (${(e as Error).message})`);
    }
    for (const u of UNSUPPORTED) {
      if (u.re.test(start)) {
        throw propError(scope, 'multiline.startPattern', start, `VRL's regex syntax (Rust) has no ${u.what}`);
      }
    }
  }
  return {
    languages: [...new Set(languages)],
    startPattern: start,
    expireAfterMs: checkWholeNumber(scope, 'multiline.expireAfterMs', o.expireAfterMs ?? 2000, 100),
    maxEvents: checkWholeNumber(scope, 'multiline.maxLines', o.maxLines ?? 500, 2),
  };
}
