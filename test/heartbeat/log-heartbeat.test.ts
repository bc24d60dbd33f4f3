import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MESSAGE, heartbeatScript, LogHeartbeat, type LogHeartbeatProps } from '../../lib/heartbeat';
import {
  constructionError,
  expectNoCdk8sLabels,
  kindsAndNames,
  RESTRICTED_NAMESPACE_LABELS,
  restrictedContainer,
  restrictedPod,
  synth,
} from './heartbeat-fixtures';

const heartbeat = (props: LogHeartbeatProps = {}) => synth((chart) => new LogHeartbeat(chart, 'heartbeat', props));
const error = (props: LogHeartbeatProps) => constructionError((chart) => new LogHeartbeat(chart, 'heartbeat', props));

const SELECTOR = {
  'app.kubernetes.io/name': 'vector-heartbeat',
  'app.kubernetes.io/instance': 'vector-heartbeat',
  'app.kubernetes.io/component': 'log-heartbeat',
};
const LABELS = {
  ...SELECTOR,
  'app.kubernetes.io/part-of': 'vector-fleet',
  'app.kubernetes.io/managed-by': 'cdk8s-vector-fleet',
  'app.kubernetes.io/version': '1.37.0',
};

describe('LogHeartbeat objects', () => {
  it('owns a Namespace, a ConfigMap with the script and a one-replica Deployment, all named explicitly', () => {
    const { manifests } = heartbeat();
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/logging',
      'ConfigMap/logging/vector-heartbeat',
      'Deployment/logging/vector-heartbeat',
    ]);
    expectNoCdk8sLabels(manifests);
    for (const m of manifests) expect(m.metadata.labels).toMatchObject(LABELS);
  });

  it('labels its namespace restricted and collected (vector.dev/exclude: "false"), and never excludes its pod', () => {
    const { one, deployment } = heartbeat();
    expect(one('Namespace').metadata.labels).toEqual({
      ...LABELS,
      ...RESTRICTED_NAMESPACE_LABELS,
      'vector.dev/exclude': 'false',
    });
    expect(deployment.template.metadata?.labels).toEqual({ ...LABELS, 'vector.dev/exclude': 'false' });
    expect(JSON.stringify(heartbeat().manifests)).not.toContain('"vector.dev/exclude":"true"');
  });

  it('image: the version label follows its tag, is left out for a digest, and never reaches the selector', () => {
    const tagged = heartbeat({ image: 'busybox:1.36.1' });
    expect(tagged.deployment.template.metadata?.labels?.['app.kubernetes.io/version']).toBe('1.36.1');
    expect(tagged.deployment.selector).toEqual({ matchLabels: SELECTOR });
    const digest = heartbeat({ image: `busybox@sha256:${'a'.repeat(64)}` });
    expect(digest.deployment.template.metadata?.labels?.['app.kubernetes.io/version']).toBeUndefined();
  });

  it('runs the ConfigMap script with sh, one replica, selecting by the stable labels only', () => {
    const { one, deployment, pod, container, construct } = heartbeat();
    expect(deployment.replicas).toBe(1);
    expect(deployment.selector).toEqual({ matchLabels: SELECTOR });
    expect(construct.selectorLabels).toEqual(SELECTOR);
    expect(deployment.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(one('ConfigMap').data).toEqual({ 'heartbeat.sh': heartbeatScript(120) });
    expect(construct.script).toBe(heartbeatScript(120));
    expect(container.command).toEqual(['/bin/sh', '/etc/vector-heartbeat/heartbeat.sh']);
    expect(container.args).toBeUndefined();
    expect(container.volumeMounts).toEqual([{ name: 'script', mountPath: '/etc/vector-heartbeat', readOnly: true }]);
    expect(pod.volumes).toEqual([{ name: 'script', configMap: { name: 'vector-heartbeat', defaultMode: 0o444 } }]);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  it('rolls the pod when the script changes: a checksum of the script in the pod template', () => {
    const checksum = (intervalSeconds?: number) =>
      heartbeat({ intervalSeconds }).deployment.template.metadata?.annotations?.['checksum/config'];
    expect(checksum()).toBe(createHash('sha256').update(heartbeatScript(120)).digest('hex'));
    expect(checksum(60)).not.toBe(checksum());
  });

  it('requests 10m / 8Mi and is limited to 20m / 16Mi', () => {
    expect(heartbeat().container.resources).toEqual({
      requests: { cpu: '10m', memory: '8Mi' },
      limits: { cpu: '20m', memory: '16Mi' },
    });
  });

  it('runs as UID 1001, non-root, read-only, without capabilities or escalation, seccomp RuntimeDefault, no token', () => {
    const { pod, container } = heartbeat();
    expect(container.securityContext).toEqual(restrictedContainer(1001));
    expect(pod.securityContext).toEqual(restrictedPod(1001));
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.terminationGracePeriodSeconds).toBe(10);
  });

  it('exposes namespace, name, interval, selector labels, the exact message and the image', () => {
    const { construct } = heartbeat();
    expect(construct.message).toBe('Vector heartbeat - logging pipeline active');
    expect(HEARTBEAT_MESSAGE).toBe(construct.message);
    expect([construct.namespace, construct.name, construct.intervalSeconds]).toEqual([
      'logging',
      'vector-heartbeat',
      120,
    ]);
    expect([construct.image, construct.configMapName, construct.ownsNamespace]).toEqual([
      'busybox:1.37.0',
      'vector-heartbeat',
      true,
    ]);
  });

  it('synthesizes the same bytes twice', () => {
    expect(JSON.stringify(heartbeat().manifests)).toBe(JSON.stringify(heartbeat().manifests));
  });

  it('matches the snapshot', () => {
    expect(heartbeat().manifests).toMatchSnapshot();
  });
});

describe('LogHeartbeat props', () => {
  it('namespace: logging by default; every object follows it', () => {
    const { manifests, construct } = heartbeat({ namespace: 'observability' });
    expect(construct.namespace).toBe('observability');
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/observability',
      'ConfigMap/observability/vector-heartbeat',
      'Deployment/observability/vector-heartbeat',
    ]);
  });

  it('createNamespace: true by default; false leaves the namespace to someone else', () => {
    const { manifests, construct } = heartbeat({ createNamespace: false });
    expect(construct.ownsNamespace).toBe(false);
    expect(kindsAndNames(manifests)).toEqual([
      'ConfigMap/logging/vector-heartbeat',
      'Deployment/logging/vector-heartbeat',
    ]);
  });

  it('name: vector-heartbeat by default; names the Deployment, the ConfigMap and the instance label', () => {
    const { manifests, construct, pod } = heartbeat({ name: 'beat' });
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/logging',
      'ConfigMap/logging/beat',
      'Deployment/logging/beat',
    ]);
    expect(construct.selectorLabels['app.kubernetes.io/instance']).toBe('beat');
    expect(pod.volumes?.[0]?.configMap?.name).toBe('beat');
  });

  it('intervalSeconds: 120 by default; goes into the sleep and every line', () => {
    const { construct, one } = heartbeat({ intervalSeconds: 30 });
    expect(construct.intervalSeconds).toBe(30);
    const script = (one('ConfigMap').data as Record<string, string>)['heartbeat.sh'];
    expect(script).toContain('sleep 30 &');
    expect(script).toContain('"interval_seconds":30,');
    expect(heartbeat({ intervalSeconds: 86_400 }).construct.intervalSeconds).toBe(86_400);
  });

  it('image: busybox:1.37.0 by default, overridable by any pinned tag or digest', () => {
    expect(heartbeat().container.image).toBe('busybox:1.37.0');
    const digest = 'busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    expect(heartbeat({ image: digest }).container.image).toBe(digest);
  });

  it('resources: overridable', () => {
    const resources = { requests: { cpu: '5m', memory: '4Mi' }, limits: { cpu: '50m', memory: '32Mi' } };
    expect(heartbeat({ resources }).container.resources).toEqual(resources);
  });

  it('runAsUser: 1001 by default, overridable', () => {
    const { pod, container } = heartbeat({ runAsUser: 2000 });
    expect(container.securityContext).toEqual(restrictedContainer(2000));
    expect(pod.securityContext).toEqual(restrictedPod(2000));
  });
});

describe('LogHeartbeat rejects bad props with the path, the prop, the value and what is allowed', () => {
  const dnsLabel = 'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
  it.each<[string, LogHeartbeatProps, string]>([
    ['namespace', { namespace: 'Logging' }, `test/heartbeat: invalid namespace "Logging": ${dnsLabel}`],
    ['name', { name: 'beat_1' }, `test/heartbeat: invalid name "beat_1": ${dnsLabel}`],
    [
      'name starting with a digit',
      { name: '1beat' },
      'test/heartbeat: invalid name "1beat": start with a letter: it also names a Service (a DNS-1035 label)',
    ],
    [
      'intervalSeconds 0',
      { intervalSeconds: 0 },
      'test/heartbeat: invalid intervalSeconds 0: use a whole number from 1 to 86400',
    ],
    [
      'intervalSeconds 1.5',
      { intervalSeconds: 1.5 },
      'test/heartbeat: invalid intervalSeconds 1.5: use a whole number from 1 to 86400',
    ],
    [
      'intervalSeconds above a day',
      { intervalSeconds: 86_401 },
      'test/heartbeat: invalid intervalSeconds 86401: use a whole number from 1 to 86400',
    ],
    [
      'image latest',
      { image: 'busybox:latest' },
      'test/heartbeat: invalid image "busybox:latest": pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"',
    ],
    [
      'image untagged',
      { image: 'busybox' },
      'test/heartbeat: invalid image "busybox": pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"',
    ],
    [
      'resources above limits',
      { resources: { requests: { cpu: '30m', memory: '8Mi' }, limits: { cpu: '20m', memory: '16Mi' } } },
      'test/heartbeat: invalid resources.requests.cpu "30m": must not exceed limits.cpu (20m)',
    ],
    [
      'runAsUser root',
      { runAsUser: 0 },
      'test/heartbeat: invalid runAsUser 0: use a whole number from 1 to 2147483647',
    ],
  ])('%s', (_case, props, message) => {
    expect(error(props)).toBe(message);
  });
});
