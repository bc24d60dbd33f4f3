import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_IDS, JOURNALD_IMAGE } from '../../lib/agent';
import { DELIVERY_FIELDS } from '../../lib/aggregator';
import { runRemap, VECTOR_VERSION } from '../../lib/vector';
import { expectRecordedConfigsAccepted, newAgent, synthAgent } from './agent-fixtures';

afterAll(() => expectRecordedConfigsAccepted());

const REALTIME = '2025-01-02T03:04:05.123456Z';

/** A journal entry as Vector 0.57's journald source emits it (legacy log namespace) with `emit_cursor: true`. */
function journalEntry(unit: string, message: string, cursor: string, priority = '6', timestamp = REALTIME) {
  return {
    message,
    host: 'ip-10-0-0-1',
    timestamp,
    source_type: 'journald',
    _SYSTEMD_UNIT: unit,
    SYSLOG_IDENTIFIER: unit.replace(/\.service$/, ''),
    PRIORITY: priority,
    _BOOT_ID: '5b1e2a6f0c7d4e1a9b3c2d1e0f9a8b7c',
    _PID: '812',
    __CURSOR: cursor,
  };
}

const { agent } = newAgent();
const enrich = (event: Record<string, unknown>) => {
  const outcome = runRemap(agent.pipeline, AGENT_IDS.enrichJournald, event, { timestamps: ['timestamp'] });
  if (outcome.dropped || outcome.error) throw new Error(`enrich_journald failed: ${JSON.stringify(outcome)}`);
  return outcome.event;
};
const deliveryKey = (e: Record<string, unknown>) => JSON.stringify(DELIVERY_FIELDS.map((f) => e[f]));

describe('journald node logs', () => {
  it('reads kubelet.service and containerd.service by default, keeping the cursor for the dedupe', () => {
    const { config } = synthAgent();
    expect(config.sources?.journald).toEqual({
      type: 'journald',
      include_units: ['kubelet.service', 'containerd.service'],
      emit_cursor: true,
    });
    expect(config.sinks?.to_aggregators?.inputs).toContain(AGENT_IDS.enrichJournald);
  });

  it('takes other units (CRI-O, Docker) and a journal directory', () => {
    const { config } = synthAgent({
      journald: { units: ['kubelet.service', 'crio.service'], journalDirectory: '/var/log/journal' },
    });
    expect(config.sources?.journald).toMatchObject({
      include_units: ['kubelet.service', 'crio.service'],
      journal_directory: '/var/log/journal',
    });
  });

  it('gives entries cluster, node, unit, severity and the fields the aggregators dedupe on', () => {
    const e = enrich(journalEntry('kubelet.service', 'E0102 kubelet: failed to sync pod', 's=abc;i=1', '3'));
    expect(e).toMatchObject({
      cluster: 'dev',
      environment: 'development',
      region: 'fsn1',
      file: 'journald:kubelet.service',
      unit: 'kubelet.service',
      stream: 'journal',
      severity: 'error',
      message: 'E0102 kubelet: failed to sync pod',
    });
    // Without VECTOR_SELF_NODE_NAME (as here) the node is the journal's host name.
    expect(e.node).toBe('ip-10-0-0-1');
    expect(e).not.toHaveProperty('__CURSOR');
    for (const f of DELIVERY_FIELDS) expect(e[f], f).toBeDefined();
  });

  it('never makes two distinct entries look like one delivery, and a redelivered entry does', () => {
    const a = enrich(journalEntry('kubelet.service', 'same text', 's=abc;i=1'));
    const b = enrich(journalEntry('kubelet.service', 'same text', 's=abc;i=2'));
    const otherUnit = enrich(journalEntry('containerd.service', 'same text', 's=abc;i=1'));
    const again = enrich(journalEntry('kubelet.service', 'same text', 's=abc;i=1'));
    expect(deliveryKey(a)).not.toBe(deliveryKey(b));
    expect(deliveryKey(a)).not.toBe(deliveryKey(otherUnit));
    expect(deliveryKey(a)).toBe(deliveryKey(again));
  });

  it('maps every syslog PRIORITY to a severity, and a missing one to info', () => {
    const sev = (p: string | undefined) => {
      const entry: Record<string, unknown> = journalEntry('kubelet.service', 'x', 'c');
      if (p === undefined) delete entry.PRIORITY;
      else entry.PRIORITY = p;
      return enrich(entry).severity;
    };
    expect(['0', '1', '2', '3', '4', '5', '6', '7'].map(sev)).toEqual([
      'fatal',
      'fatal',
      'fatal',
      'error',
      'warn',
      'info',
      'info',
      'debug',
    ]);
    expect(sev(undefined)).toBe('info');
    expect(sev('42')).toBe('info');
  });

  it('names entries of no unit by their syslog identifier', () => {
    const entry: Record<string, unknown> = journalEntry('x.service', 'kernel line', 'c');
    delete entry._SYSTEMD_UNIT;
    entry.SYSLOG_IDENTIFIER = 'kernel';
    expect(enrich(entry).file).toBe('journald:kernel');
  });

  it('runs on the -debian image, the one with journalctl, unless journald is off', () => {
    expect(JOURNALD_IMAGE).toBe(`timberio/vector:${VECTOR_VERSION}-debian`);
    expect(synthAgent().container.image).toBe(JOURNALD_IMAGE);
    expect(synthAgent({ image: 'timberio/vector:0.57.0-debian' }).container.image).toBe(
      'timberio/vector:0.57.0-debian',
    );
    expect(synthAgent({ journald: false }).container.image).toContain('distroless');
  });

  it('mounts the journal parents read-only, without creating /var/log/journal, and only when on', () => {
    const { pod } = synthAgent();
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'host-var-log', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'host-run-log', hostPath: { path: '/run/log', type: 'DirectoryOrCreate' } },
        { name: 'host-machine-id', hostPath: { path: '/etc/machine-id', type: 'File' } },
      ]),
    );
    const paths = (pod.volumes ?? []).map((v) => v.hostPath?.path);
    expect(paths).not.toContain('/var/log/journal');
    const off = synthAgent({ journald: false }).pod.volumes?.map((v) => v.name);
    expect(off).not.toContain('host-var-log');
    expect(off).not.toContain('host-machine-id');
  });

  it('with aggregator: false is off unless asked for', () => {
    const { config } = synthAgent({ aggregator: false, kubernetesLogs: false, remoteWrite: false });
    expect(config.sources).not.toHaveProperty('journald');
  });
});

describe('journald props', () => {
  const error = (props: Parameters<typeof newAgent>[0]) => () => newAgent(props);
  it('rejects an empty unit list', () => {
    expect(error({ journald: { units: [] } })).toThrow(
      /test\/agent: invalid journald\.units \[\]: give at least one systemd unit, or set journald: false/,
    );
  });
  it('rejects a unit without its suffix', () => {
    expect(error({ journald: { units: ['kubelet'] } })).toThrow(
      /invalid journald\.units\[0\] "kubelet": a systemd unit name with its suffix, e.g\. "kubelet\.service"/,
    );
  });
  it('rejects a journal directory the agent does not mount', () => {
    expect(error({ journald: { journalDirectory: '/opt/journal' } })).toThrow(
      /invalid journald\.journalDirectory "\/opt\/journal": an absolute path under \/var\/log or \/run\/log/,
    );
  });
  it('rejects a distroless image, which has no journalctl', () => {
    expect(error({ image: 'timberio/vector:0.57.0-distroless-libc' })).toThrow(
      /invalid image "timberio\/vector:0\.57\.0-distroless-libc": the journald source runs journalctl, which distroless images lack: use a -debian image such as "timberio\/vector:0\.57\.0-debian", or set journald: false/,
    );
    expect(() => newAgent({ image: 'timberio/vector:0.57.0-distroless-libc', journald: false })).not.toThrow();
  });
});
