/**
 * The events pipeline's VRL executed on events as the exporter posts them (core/v1 Event JSON, as
 * resmoio/kubernetes-event-exporter v1.7 serializes it without a layout), and the aggregators' dedupe key
 * (DELIVERY_FIELDS) taken from the results: distinct events never share one, a re-sent event does.
 */
import { describe, expect, it } from 'vitest';
import { buildEventsPipeline, EVENTS_FILE, EVENTS_IDS, EVENTS_STREAM } from '../../lib/events';
import { DELIVERY_FIELDS } from '../../lib/aggregator';
import { formatProblem, runRemap } from '../../lib/vector';

const pipeline = buildEventsPipeline({
  cluster: { name: 'dev', environment: 'development', region: 'fsn1' },
  dataDir: '/var/lib/vector',
  apiPort: 8686,
  receiverPort: 8080,
  endpoints: ['vector.monitoring.example.com:6000'],
  tls: true,
});

/** One event as the exporter posts it, as `http_server` with the json codec decodes it. */
function postedEvent(
  overrides: { uid?: string; resourceVersion?: string; count?: number; lastTimestamp?: string } = {},
) {
  return {
    metadata: {
      name: 'web-7d9f8.17a2b3c4d5e6f789',
      namespace: 'shop',
      uid: overrides.uid ?? '5b0f4e1c-0d7e-4c31-9a57-0d1f7a3b2c11',
      resourceVersion: overrides.resourceVersion ?? '123456',
      creationTimestamp: '2026-12-04T04:00:00Z',
      managedFields: [{ manager: 'kubelet', operation: 'Update' }],
    },
    involvedObject: {
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-7d9f8',
      uid: '0c1d2e3f-aaaa-bbbb-cccc-1234567890ab',
      apiVersion: 'v1',
      resourceVersion: '99',
      fieldPath: 'spec.containers{web}',
      deleted: false,
    },
    reason: 'BackOff',
    message: 'Back-off restarting failed container web in pod web-7d9f8_shop',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-12-04T04:00:00Z',
    lastTimestamp: overrides.lastTimestamp ?? '2026-12-04T04:05:00Z',
    count: overrides.count ?? 3,
    type: 'Warning',
    eventTime: null,
    reportingComponent: '',
    reportingInstance: '',
    clusterName: '',
    // What http_server sets.
    source_type: 'http_server',
    timestamp: '2026-12-04T04:05:01.123456789Z',
  };
}

function enrich(event: Record<string, unknown>) {
  const outcome = runRemap(pipeline, EVENTS_IDS.enrich, event, { timestamps: ['timestamp'], typesOf: ['timestamp'] });
  if (outcome.dropped || outcome.error) throw new Error(`remap failed: ${JSON.stringify(outcome)}`);
  return outcome;
}

const deliveryKey = (event: Record<string, unknown>) => JSON.stringify(DELIVERY_FIELDS.map((f) => event[f] ?? null));

describe('enrich_events', () => {
  it('the pipeline validates, VRL compile included', () => {
    expect(pipeline.validate().map(formatProblem)).toEqual([]);
  });

  it('sets cluster identity, the involved object as fields, severity and the delivery fields', () => {
    const { event, types } = enrich(postedEvent());
    expect(event).toMatchObject({
      cluster: 'dev',
      environment: 'development',
      region: 'fsn1',
      namespace: 'shop',
      object_namespace: 'shop',
      object_kind: 'Pod',
      object_name: 'web-7d9f8',
      severity: 'warning',
      file: EVENTS_FILE,
      stream: EVENTS_STREAM,
      message: 'Back-off restarting failed container web in pod web-7d9f8_shop',
      reason: 'BackOff',
    });
    expect(typeof event.line_hash).toBe('number');
    // The event's last occurrence, not the receive time.
    expect(event.timestamp).toBe('2026-12-04T04:05:00Z');
    expect(types.timestamp).toBe('timestamp');
    expect((event.metadata as Record<string, unknown>).managedFields).toBeUndefined();
  });

  it('a Normal event of a cluster-scoped object: severity info, empty namespace, kind and name kept', () => {
    const posted = postedEvent();
    const { event } = enrich({
      ...posted,
      type: 'Normal',
      involvedObject: { kind: 'Node', name: 'node-1', uid: 'node-1', apiVersion: 'v1' },
    });
    expect(event).toMatchObject({
      severity: 'info',
      namespace: '',
      object_namespace: '',
      object_kind: 'Node',
      object_name: 'node-1',
    });
  });

  it('an events.k8s.io-style event with eventTime only takes that time', () => {
    const { event } = enrich({
      ...postedEvent(),
      lastTimestamp: null,
      firstTimestamp: null,
      eventTime: '2026-12-04T04:06:07.123456Z',
    });
    expect(event.timestamp).toBe('2026-12-04T04:06:07.123456Z');
  });

  it('an event without times or metadata keeps the receive time and still gets a line_hash', () => {
    const { event } = enrich({ message: 'odd', source_type: 'http_server', timestamp: '2026-12-04T04:05:01Z' });
    expect(event.timestamp).toBe('2026-12-04T04:05:01Z');
    expect(typeof event.line_hash).toBe('number');
    expect(event.object_kind).toBe('');
  });

  it('dedupe key: distinct events and count updates differ, a re-sent event equals its first delivery', () => {
    const first = enrich(postedEvent()).event;
    const resent = enrich({ ...postedEvent(), timestamp: '2026-12-04T04:09:00.5Z' }).event;
    const updated = enrich(postedEvent({ resourceVersion: '123999', count: 4 })).event;
    const other = enrich(postedEvent({ uid: 'ffffffff-0000-0000-0000-000000000000' })).event;
    expect(deliveryKey(resent)).toBe(deliveryKey(first));
    expect(deliveryKey(updated)).not.toBe(deliveryKey(first));
    expect(deliveryKey(other)).not.toBe(deliveryKey(first));
    // Every delivery field is set, so none of them compares as "missing" with an agent's line.
    for (const f of DELIVERY_FIELDS) expect(first[f]).toBeDefined();
  });
});
