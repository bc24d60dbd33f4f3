import type { IConstruct } from 'constructs';
import { propError } from '../k8s/prop-errors';

/** How long a certificate is valid and when cert-manager renews it, as Go durations (`s`, `m`, `h`; no days). */
export interface CertificateLifetime {
  /** Validity of each issued certificate, e.g. `2160h` (90 days); at least `1h`. @default differs per certificate */
  readonly duration?: string;
  /** Renew this long before expiry, e.g. `720h` (30 days); at least `5m` and shorter than `duration`. @default differs per certificate */
  readonly renewBefore?: string;
}

/** A checked lifetime, both values given. */
export interface ResolvedLifetime {
  readonly duration: string;
  readonly renewBefore: string;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};
const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Seconds in a Go `time.ParseDuration` string (`2160h`, `1h30m`), or undefined when it is not one.
 * cert-manager parses `duration` and `renewBefore` with it, so `90d` or `90 days` are rejected by
 * its webhook, or break issuance where the webhook is missing.
 */
export function goDurationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || !GO_DURATION.test(value)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(GO_DURATION_PART)) seconds += Number(amount) * UNIT_SECONDS[unit];
  return seconds;
}

// cert-manager's own limits: a duration under 1h or a renewBefore under 5m is refused.
const MIN_DURATION_SECONDS = 3600;
const MIN_RENEW_BEFORE_SECONDS = 300;

/**
 * Fills in the defaults and checks a lifetime the way cert-manager would, at synth time: Go
 * durations, its minimums, and `renewBefore` below `duration` (equal or longer means a certificate
 * that is always due for renewal).
 */
export function resolveLifetime(
  scope: IConstruct,
  prop: string,
  given: CertificateLifetime | undefined,
  defaults: ResolvedLifetime,
): ResolvedLifetime {
  const duration = given?.duration ?? defaults.duration;
  const renewBefore = given?.renewBefore ?? defaults.renewBefore;
  const durationSeconds = goDurationSeconds(duration);
  if (durationSeconds === undefined || durationSeconds < MIN_DURATION_SECONDS) {
    throw propError(
      scope,
      `${prop}.duration`,
      duration,
      'use a Go duration of at least 1h in h, m or s, e.g. "2160h" for 90 days (there is no "d" unit)',
    );
  }
  const renewSeconds = goDurationSeconds(renewBefore);
  if (renewSeconds === undefined || renewSeconds < MIN_RENEW_BEFORE_SECONDS) {
    throw propError(
      scope,
      `${prop}.renewBefore`,
      renewBefore,
      'use a Go duration of at least 5m in h, m or s, e.g. "720h" for 30 days (there is no "d" unit)',
    );
  }
  if (renewSeconds >= durationSeconds) {
    throw propError(
      scope,
      `${prop}.renewBefore`,
      renewBefore,
      `must be shorter than the duration ${JSON.stringify(duration)}, or the certificate is always due for renewal`,
    );
  }
  return { duration, renewBefore };
}
