import { type ClusterIdentity, vrlString } from '../k8s/cluster';
import { LINE_HASH_FIELD } from '../k8s/log-fields';

/** The `stream` of every journald event: the journal has no stdout/stderr. */
export const JOURNALD_STREAM = 'journal';
/** Prefix of the `file` of a journald event, followed by its systemd unit: `journald:kubelet.service`. */
export const JOURNALD_FILE_PREFIX = 'journald:';

/** Syslog severities 0 (emergency) to 7 (debug), in the agent's vocabulary. */
const SYSLOG = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];

/**
 * The agent's `enrich_journald` program. It gives journal entries the fields the aggregators' dedupe compares
 * (`cluster`, `file`, `stream`, `timestamp`, `line_hash`): `file` names the unit, so two units never collide, and
 * `line_hash` hashes the entry's `__CURSOR`, unique per journal entry, so two entries with the same text and time
 * are both kept while a redelivered entry is still dropped. `severity` comes from `PRIORITY`.
 */
export function enrichJournaldVrl(cluster: ClusterIdentity, nodeNameEnv: string): string {
  return [
    '# The unit (or, for entries of no unit, the syslog identifier) names the "file" of the entry.',
    'unit = string(._SYSTEMD_UNIT) ?? string(.SYSLOG_IDENTIFIER) ?? "unknown"',
    `.file = ${vrlString(JOURNALD_FILE_PREFIX)} + unit`,
    '.unit = unit',
    `.stream = ${vrlString(JOURNALD_STREAM)}`,
    '# __CURSOR is unique per journal entry: distinct entries never share a hash, a redelivery does.',
    'cursor = del(.__CURSOR)',
    `.${LINE_HASH_FIELD} = seahash(string(cursor) ?? string(.message) ?? encode_json(.message))`,
    'priority = parse_int(string(.PRIORITY) ?? "") ?? 6',
    'if priority < 0 || priority > 7 { priority = 6 }',
    `.severity = get!(${'['}${SYSLOG.map((s) => vrlString(s)).join(', ')}], [priority])`,
    `.cluster = ${vrlString(cluster.name)}`,
    `.environment = ${vrlString(cluster.environment)}`,
    `.region = ${vrlString(cluster.region)}`,
    `.node = get_env_var("${nodeNameEnv}") ?? .host`,
    '',
  ].join('\n');
}
