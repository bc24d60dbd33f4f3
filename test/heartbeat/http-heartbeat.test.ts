import { describe, expect, it } from 'vitest';
import { HttpHeartbeat, type HttpHeartbeatProps } from '../../lib/heartbeat';
import {
  constructionError,
  expectNoCdk8sLabels,
  kindsAndNames,
  RESTRICTED_NAMESPACE_LABELS,
  restrictedContainer,
  restrictedPod,
  synth,
} from './heartbeat-fixtures';

const server = (props: HttpHeartbeatProps = {}) => synth((chart) => new HttpHeartbeat(chart, 'http', props));
const error = (props: HttpHeartbeatProps) => constructionError((chart) => new HttpHeartbeat(chart, 'http', props));

const SELECTOR = {
  'app.kubernetes.io/name': 'heartbeat',
  'app.kubernetes.io/instance': 'http-heartbeat',
  'app.kubernetes.io/component': 'http-heartbeat',
};
const LABELS = {
  ...SELECTOR,
  'app.kubernetes.io/part-of': 'vector-fleet',
  'app.kubernetes.io/managed-by': 'cdk8s-vector-fleet',
  'app.kubernetes.io/version': '0.4.0',
};
const DEFAULT_ARGS = ['-u', '/heartbeat/', '-p', '8080', '-min', '1', '-max', '1048576'];

describe('HttpHeartbeat objects', () => {
  it('owns a Namespace, a Deployment and a ClusterIP Service, all named explicitly', () => {
    const { manifests } = server();
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/heartbeat',
      'Deployment/heartbeat/http-heartbeat',
      'Service/heartbeat/http-heartbeat',
    ]);
    expectNoCdk8sLabels(manifests);
    for (const m of manifests) expect(m.metadata.labels).toMatchObject(LABELS);
    expect(server().one('Namespace').metadata.labels).toEqual({ ...LABELS, ...RESTRICTED_NAMESPACE_LABELS });
  });

  it('passes the server its real flags and names the container port the probes and the Service use', () => {
    const { container, one, construct } = server();
    expect(container.image).toBe('ghcr.io/cse-labs/heartbeat:0.4.0');
    expect(container.args).toEqual(DEFAULT_ARGS);
    expect(construct.args).toEqual(DEFAULT_ARGS);
    expect(container.command).toBeUndefined();
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/heartbeat/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/heartbeat/readyz', port: 'http' });
    expect(one('Service').spec).toEqual({
      type: 'ClusterIP',
      selector: SELECTOR,
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('selects by the stable labels only and runs restricted with tiny explicit resources', () => {
    const { deployment, pod, container, construct } = server();
    expect(deployment.selector).toEqual({ matchLabels: SELECTOR });
    expect(construct.selectorLabels).toEqual(SELECTOR);
    expect(deployment.replicas).toBe(1);
    expect(container.securityContext).toEqual(restrictedContainer(10001));
    expect(pod.securityContext).toEqual(restrictedPod(10001));
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.resources).toEqual({
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '200m', memory: '64Mi' },
    });
  });

  it('exposes its Service, port, path and URL', () => {
    const { construct } = server();
    expect(construct.serviceName).toBe('http-heartbeat');
    expect(construct.port).toBe(8080);
    expect(construct.path).toBe('/heartbeat/');
    expect(construct.url).toBe('http://http-heartbeat.heartbeat.svc:8080/heartbeat/');
    expect(construct.ownsNamespace).toBe(true);
  });

  it('matches the snapshot', () => {
    expect(server().manifests).toMatchSnapshot();
  });
});

describe('HttpHeartbeat props', () => {
  it('namespace and name: heartbeat / http-heartbeat by default', () => {
    const { manifests, construct } = server({ namespace: 'edge', name: 'beat' });
    expect(kindsAndNames(manifests)).toEqual(['Namespace/edge', 'Deployment/edge/beat', 'Service/edge/beat']);
    expect(construct.selectorLabels['app.kubernetes.io/instance']).toBe('beat');
    expect(construct.url).toBe('http://beat.edge.svc:8080/heartbeat/');
  });

  it('createNamespace: false leaves the namespace out', () => {
    expect(kindsAndNames(server({ createNamespace: false }).manifests)).toEqual([
      'Deployment/heartbeat/http-heartbeat',
      'Service/heartbeat/http-heartbeat',
    ]);
  });

  it('image: overridable; the version label follows its tag and is left out for a digest', () => {
    const tagged = server({ image: 'registry.example.com/heartbeat:1.0.1' });
    expect(tagged.container.image).toBe('registry.example.com/heartbeat:1.0.1');
    expect(tagged.deployment.template.metadata?.labels?.['app.kubernetes.io/version']).toBe('1.0.1');
    expect(tagged.deployment.selector.matchLabels).toEqual(SELECTOR);
    const digest = server({ image: `ghcr.io/cse-labs/heartbeat@sha256:${'a'.repeat(64)}` });
    expect(digest.deployment.template.metadata?.labels?.['app.kubernetes.io/version']).toBeUndefined();
  });

  it('path: -u, with the trailing slash the server adds; the probes live under it', () => {
    const { container, construct } = server({ path: '/net/beat' });
    expect(container.args?.slice(0, 2)).toEqual(['-u', '/net/beat/']);
    expect(construct.path).toBe('/net/beat/');
    expect(container.livenessProbe?.httpGet?.path).toBe('/net/beat/healthz');
    expect(container.readinessProbe?.httpGet?.path).toBe('/net/beat/readyz');
  });

  it('probePathPrefix: "/" for images that answer /healthz and /readyz at the root', () => {
    const { container } = server({ probePathPrefix: '/' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(server({ probePathPrefix: '/probes' }).container.livenessProbe?.httpGet?.path).toBe('/probes/healthz');
  });

  it('port: -p, the container port and the Service port', () => {
    const { container, one, construct } = server({ port: 9090 });
    expect(container.args?.slice(2, 4)).toEqual(['-p', '9090']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 9090, protocol: 'TCP' }]);
    expect((one('Service').spec as { ports: unknown[] }).ports).toEqual([
      { name: 'http', port: 9090, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(construct.url).toBe('http://http-heartbeat.heartbeat.svc:9090/heartbeat/');
    expect(server({ port: 1 }).construct.port).toBe(1);
    expect(server({ port: 65535 }).construct.port).toBe(65535);
  });

  it('minBodyBytes and maxBodyBytes: -min and -max, up to 1 GiB', () => {
    expect(server({ minBodyBytes: 16, maxBodyBytes: 65536 }).container.args?.slice(4)).toEqual([
      '-min',
      '16',
      '-max',
      '65536',
    ]);
    expect(server({ maxBodyBytes: 1073741824 }).container.args?.slice(6)).toEqual(['-max', '1073741824']);
    expect(server({ minBodyBytes: 1, maxBodyBytes: 2 }).container.args?.slice(4)).toEqual(['-min', '1', '-max', '2']);
  });

  it('logRequests: -log only when true', () => {
    expect(server({ logRequests: true }).container.args).toEqual([...DEFAULT_ARGS, '-log']);
    expect(server({ logRequests: false }).container.args).toEqual(DEFAULT_ARGS);
  });

  it('replicas and resources: overridable', () => {
    expect(server({ replicas: 3 }).deployment.replicas).toBe(3);
    const resources = { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '1', memory: '256Mi' } };
    expect(server({ resources }).container.resources).toEqual(resources);
  });
});

describe('HttpHeartbeat rejects bad props with the path, the prop, the value and what is allowed', () => {
  const badPath = 'use an absolute path of lowercase letters, digits, "-", "_", "." and "/", e.g. "/heartbeat/"';
  it.each<[string, HttpHeartbeatProps, string]>([
    [
      'path /',
      { path: '/' },
      'test/http: invalid path "/": the server cannot serve heartbeats at "/"; use a path such as "/heartbeat/"',
    ],
    ['path without a leading slash', { path: 'heartbeat' }, `test/http: invalid path "heartbeat": ${badPath}`],
    ['path with upper case', { path: '/HeartBeat/' }, `test/http: invalid path "/HeartBeat/": ${badPath}`],
    ['path with a query', { path: '/beat?x=1' }, `test/http: invalid path "/beat?x=1": ${badPath}`],
    ['path with //', { path: '/a//b/' }, `test/http: invalid path "/a//b/": ${badPath}`],
    [
      'probePathPrefix',
      { probePathPrefix: 'probes' },
      'test/http: invalid probePathPrefix "probes": use an absolute path of lowercase letters, digits, "-", "_", "." and "/", e.g. "/heartbeat/"',
    ],
    ['port 0', { port: 0 }, 'test/http: invalid port 0: a port is a whole number from 1 to 65535'],
    ['port 65536', { port: 65536 }, 'test/http: invalid port 65536: a port is a whole number from 1 to 65535'],
    ['port 80.5', { port: 80.5 }, 'test/http: invalid port 80.5: a port is a whole number from 1 to 65535'],
    ['minBodyBytes 0', { minBodyBytes: 0 }, 'test/http: invalid minBodyBytes 0: use a whole number at least 1'],
    ['minBodyBytes 1.5', { minBodyBytes: 1.5 }, 'test/http: invalid minBodyBytes 1.5: use a whole number at least 1'],
    [
      'maxBodyBytes above 1 GiB',
      { maxBodyBytes: 1073741825 },
      'test/http: invalid maxBodyBytes 1073741825: use a whole number from 2 to 1073741824',
    ],
    [
      'maxBodyBytes 1',
      { maxBodyBytes: 1 },
      'test/http: invalid maxBodyBytes 1: use a whole number from 2 to 1073741824',
    ],
    [
      'minBodyBytes above maxBodyBytes',
      { minBodyBytes: 2048, maxBodyBytes: 1024 },
      'test/http: invalid minBodyBytes 2048: must be less than maxBodyBytes (1024): the server exits otherwise',
    ],
    [
      'minBodyBytes equal to maxBodyBytes',
      { minBodyBytes: 1024, maxBodyBytes: 1024 },
      'test/http: invalid minBodyBytes 1024: must be less than maxBodyBytes (1024): the server exits otherwise',
    ],
    ['replicas 0', { replicas: 0 }, 'test/http: invalid replicas 0: use a whole number at least 1'],
    [
      'namespace',
      { namespace: 'Heartbeat' },
      'test/http: invalid namespace "Heartbeat": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'name',
      { name: '9beat' },
      'test/http: invalid name "9beat": start with a letter: it also names a Service (a DNS-1035 label)',
    ],
    [
      'image',
      { image: 'ghcr.io/cse-labs/heartbeat:latest' },
      'test/http: invalid image "ghcr.io/cse-labs/heartbeat:latest": pin the image to an exact version tag or digest, e.g. "ghcr.io/cse-labs/heartbeat:0.4.0"',
    ],
    [
      'resources',
      { resources: { requests: { cpu: '10m', memory: 'lots' }, limits: { cpu: '1', memory: '1Gi' } } },
      'test/http: invalid resources.requests.memory "lots": use a memory quantity such as "128Mi" or "1Gi"',
    ],
  ])('%s', (_case, props, message) => {
    expect(error(props)).toBe(message);
  });
});
