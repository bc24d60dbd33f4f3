import { describe, expect, it } from 'vitest';
import {
  DeploymentStatusApi,
  type DeploymentStatusApiProps,
  isPositiveGoDuration,
  parseLegacyRateLimit,
} from '../../lib/heartbeat';
import {
  constructionError,
  expectNoCdk8sLabels,
  kindsAndNames,
  type Manifest,
  RESTRICTED_NAMESPACE_LABELS,
  restrictedContainer,
  restrictedPod,
  synth,
} from './heartbeat-fixtures';

const TOKEN = { name: 'status-api-token', key: 'token' } as const;
const BASE: DeploymentStatusApiProps = { authTokenSecret: TOKEN };

const api = (props: Partial<DeploymentStatusApiProps> = {}) =>
  synth((chart) => new DeploymentStatusApi(chart, 'status', { ...BASE, ...props }));
const error = (props: Partial<DeploymentStatusApiProps>) =>
  constructionError((chart) => new DeploymentStatusApi(chart, 'status', { ...BASE, ...props }));

const SELECTOR = {
  'app.kubernetes.io/name': 'deployment-status-api',
  'app.kubernetes.io/instance': 'deployment-status-api',
  'app.kubernetes.io/component': 'status-api',
};
const LABELS = {
  ...SELECTOR,
  'app.kubernetes.io/part-of': 'vector-fleet',
  'app.kubernetes.io/managed-by': 'cdk8s-vector-fleet',
  'app.kubernetes.io/version': '1.0.0',
};
const RULES = [
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
  { apiGroups: [''], resources: ['events', 'pods'], verbs: ['list'] },
];
const SUBJECTS = [{ kind: 'ServiceAccount', name: 'deployment-status-api', namespace: 'deployment-status' }];

const envOf = (container: { env?: { name: string; value?: string; valueFrom?: unknown }[] }) =>
  Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('DeploymentStatusApi objects', () => {
  it('owns a Namespace, ServiceAccount, ClusterRole and binding, Deployment and Service, all named explicitly', () => {
    const { manifests } = api();
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/deployment-status',
      'ServiceAccount/deployment-status/deployment-status-api',
      'ClusterRole/deployment-status-api',
      'ClusterRoleBinding/deployment-status-api',
      'Deployment/deployment-status/deployment-status-api',
      'Service/deployment-status/deployment-status-api',
    ]);
    expectNoCdk8sLabels(manifests);
    for (const m of manifests) expect(m.metadata.labels).toMatchObject(LABELS);
    expect(api().one('Namespace').metadata.labels).toEqual({ ...LABELS, ...RESTRICTED_NAMESPACE_LABELS });
  });

  it('grants exactly get on deployments and list on pods and events, to its own ServiceAccount', () => {
    const { one } = api();
    expect(one('ClusterRole').rules).toEqual(RULES);
    expect(one('ClusterRoleBinding').roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'deployment-status-api',
    });
    expect(one('ClusterRoleBinding').subjects).toEqual(SUBJECTS);
  });

  it('configures PORT, LOG_LEVEL, RATE_LIMIT, RATE_LIMIT_PERIOD and the token from the Secret only', () => {
    const { container } = api();
    expect(container.env).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'LOG_LEVEL', value: 'INFO' },
      { name: 'RATE_LIMIT', value: '3600' },
      { name: 'RATE_LIMIT_PERIOD', value: '1h' },
      { name: 'AUTH_TOKEN_BASIC', valueFrom: { secretKeyRef: { name: 'status-api-token', key: 'token' } } },
    ]);
    expect(container.env?.find((e) => e.name === 'AUTH_TOKEN_BASIC')?.value).toBeUndefined();
    expect(container.env?.some((e) => e.name === 'KUBECONFIG')).toBe(false);
  });

  it('probes /healthz on the named port, uses the ServiceAccount token and runs restricted', () => {
    const { container, pod, one, deployment, construct } = api();
    expect(container.image).toBe('mauri0870/k8s-heartbeat:1.0.0');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(pod.serviceAccountName).toBe('deployment-status-api');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(container.securityContext).toEqual(restrictedContainer(65532));
    expect(pod.securityContext).toEqual(restrictedPod(65532));
    expect(container.resources).toEqual({
      requests: { cpu: '10m', memory: '32Mi' },
      limits: { cpu: '200m', memory: '128Mi' },
    });
    expect(deployment.selector).toEqual({ matchLabels: SELECTOR });
    expect(construct.selectorLabels).toEqual(SELECTOR);
    expect(one('Service').spec).toEqual({
      type: 'ClusterIP',
      selector: SELECTOR,
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('exposes its names, port, URL and rate limit', () => {
    const { construct } = api();
    expect([construct.namespace, construct.name, construct.serviceName, construct.serviceAccountName]).toEqual([
      'deployment-status',
      'deployment-status-api',
      'deployment-status-api',
      'deployment-status-api',
    ]);
    expect(construct.url).toBe('http://deployment-status-api.deployment-status.svc:8080');
    expect(construct.rateLimit).toEqual({ requests: 3600, period: '1h' });
    expect(construct.namespaces).toBeUndefined();
  });

  it('matches the snapshot', () => {
    expect(api().manifests).toMatchSnapshot();
  });
});

describe('DeploymentStatusApi props', () => {
  it('authTokenSecret: required, and only a { name, key } reference compiles', () => {
    const props: DeploymentStatusApiProps = {
      // @ts-expect-error a literal token is not a Secret reference
      authTokenSecret: 'dGVzdDp0ZXN0',
    };
    expect(constructionError((chart) => new DeploymentStatusApi(chart, 'status', props))).toBe(
      'test/status: invalid authTokenSecret "(a literal value, not shown)": reference a Secret as { name, key }; a literal value would be written into the manifests',
    );
    // @ts-expect-error the token is required
    const missing: DeploymentStatusApiProps = {};
    expect(constructionError((chart) => new DeploymentStatusApi(chart, 'status', missing))).toBe(
      'test/status: invalid authTokenSecret (missing): reference a Secret as { name, key }; a literal value would be written into the manifests',
    );
    const other = api({ authTokenSecret: { name: 'other', key: 'basic.token' } });
    expect(envOf(other.container).AUTH_TOKEN_BASIC).toEqual({ secretKeyRef: { name: 'other', key: 'basic.token' } });
    expect(JSON.stringify(other.manifests)).not.toContain('dGVzdDp0ZXN0');
  });

  it('namespace, name and createNamespace', () => {
    const { manifests } = api({ namespace: 'status', name: 'status-api', createNamespace: false });
    expect(kindsAndNames(manifests)).toEqual([
      'ServiceAccount/status/status-api',
      'ClusterRole/status-api',
      'ClusterRoleBinding/status-api',
      'Deployment/status/status-api',
      'Service/status/status-api',
    ]);
    const binding = manifests.find((m) => m.kind === 'ClusterRoleBinding') as Manifest;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'status-api', namespace: 'status' }]);
  });

  it('image: overridable; the version label follows its tag', () => {
    const { container, deployment } = api({ image: 'registry.example.com/k8s-heartbeat:2024.06.01' });
    expect(container.image).toBe('registry.example.com/k8s-heartbeat:2024.06.01');
    expect(deployment.template.metadata?.labels?.['app.kubernetes.io/version']).toBe('2024.06.01');
  });

  it('port: PORT, the container port and the Service port', () => {
    const { container, one, construct } = api({ port: 9000 });
    expect(envOf(container).PORT).toBe('9000');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 9000, protocol: 'TCP' }]);
    expect((one('Service').spec as { ports: unknown[] }).ports).toEqual([
      { name: 'http', port: 9000, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(construct.url).toBe('http://deployment-status-api.deployment-status.svc:9000');
  });

  it('logLevel: INFO by default, any of the API levels', () => {
    expect(envOf(api({ logLevel: 'DEBUG' }).container).LOG_LEVEL).toBe('DEBUG');
    expect(envOf(api({ logLevel: 'WARN' }).container).LOG_LEVEL).toBe('WARN');
  });

  it('rateLimit: requests and a Go duration period', () => {
    const { container, construct } = api({ rateLimit: { requests: 60, period: '1m30s' } });
    expect([envOf(container).RATE_LIMIT, envOf(container).RATE_LIMIT_PERIOD]).toEqual(['60', '1m30s']);
    expect(construct.rateLimit).toEqual({ requests: 60, period: '1m30s' });
  });

  it.each([
    ['3600-H', '3600', '1h'],
    ['10-s', '10', '1s'],
    ['100-M', '100', '1m'],
    ['5000-D', '5000', '24h'],
  ])('rateLimit: the older form %s becomes RATE_LIMIT=%s and RATE_LIMIT_PERIOD=%s', (legacy, requests, period) => {
    const env = envOf(api({ rateLimit: legacy }).container);
    expect([env.RATE_LIMIT, env.RATE_LIMIT_PERIOD]).toEqual([requests, period]);
    expect(env.RATE_LIMIT).not.toContain('-');
  });

  it('namespaces: a Role and RoleBinding in each listed namespace instead of a ClusterRole', () => {
    const { manifests, one, construct } = api({ namespaces: ['shop', 'payments'] });
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/deployment-status',
      'ServiceAccount/deployment-status/deployment-status-api',
      'Role/shop/deployment-status-api',
      'RoleBinding/shop/deployment-status-api',
      'Role/payments/deployment-status-api',
      'RoleBinding/payments/deployment-status-api',
      'Deployment/deployment-status/deployment-status-api',
      'Service/deployment-status/deployment-status-api',
    ]);
    expect(construct.namespaces).toEqual(['shop', 'payments']);
    for (const role of manifests.filter((m) => m.kind === 'Role')) expect(role.rules).toEqual(RULES);
    for (const binding of manifests.filter((m) => m.kind === 'RoleBinding')) {
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'deployment-status-api',
      });
      expect(binding.subjects).toEqual(SUBJECTS);
    }
    expect(() => one('ClusterRole')).toThrow('expected one ClusterRole');
  });

  it('replicas and resources: overridable', () => {
    expect(api({ replicas: 2 }).deployment.replicas).toBe(2);
    const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    expect(api({ resources }).container.resources).toEqual(resources);
  });
});

describe('DeploymentStatusApi rejects bad props with the path, the prop, the value and what is allowed', () => {
  const legacy =
    'use { requests, period } or the older "<count>-<S|M|H|D>" form with a count of at least 1, e.g. "3600-H" (3600 per hour)';
  const period = 'use a Go duration above zero such as "1h", "30m" or "1m30s" (units ns, us, ms, s, m, h; no days)';
  it.each<[string, Partial<DeploymentStatusApiProps>, string]>([
    [
      'authTokenSecret.name',
      { authTokenSecret: { name: 'Token', key: 'token' } },
      'test/status: invalid authTokenSecret.name "Token": use lowercase letters, digits, "-" and ".", at most 253 characters',
    ],
    [
      'authTokenSecret.key',
      { authTokenSecret: { name: 'token', key: 'a/b' } },
      'test/status: invalid authTokenSecret.key "a/b": a Secret key: letters, digits, "-", "_" and "."',
    ],
    ['rateLimit week unit', { rateLimit: '10-W' }, `test/status: invalid rateLimit "10-W": ${legacy}`],
    ['rateLimit zero count', { rateLimit: '0-H' }, `test/status: invalid rateLimit "0-H": ${legacy}`],
    ['rateLimit slash', { rateLimit: '3600/H' }, `test/status: invalid rateLimit "3600/H": ${legacy}`],
    [
      'rateLimit.requests 0',
      { rateLimit: { requests: 0, period: '1h' } },
      'test/status: invalid rateLimit.requests 0: use a whole number at least 1',
    ],
    [
      'rateLimit.requests fractional',
      { rateLimit: { requests: 1.5, period: '1h' } },
      'test/status: invalid rateLimit.requests 1.5: use a whole number at least 1',
    ],
    [
      'rateLimit.period in days',
      { rateLimit: { requests: 10, period: '1d' } },
      `test/status: invalid rateLimit.period "1d": ${period}`,
    ],
    [
      'rateLimit.period zero',
      { rateLimit: { requests: 10, period: '0s' } },
      `test/status: invalid rateLimit.period "0s": ${period}`,
    ],
    [
      'rateLimit.period bare number',
      { rateLimit: { requests: 10, period: '3600' } },
      `test/status: invalid rateLimit.period "3600": ${period}`,
    ],
    [
      'logLevel',
      // @ts-expect-error not a level of the API
      { logLevel: 'VERBOSE' },
      'test/status: invalid logLevel "VERBOSE": use one of PANIC, FATAL, ERROR, WARN, INFO, DEBUG, TRACE',
    ],
    ['port', { port: 70000 }, 'test/status: invalid port 70000: a port is a whole number from 1 to 65535'],
    [
      'namespaces empty',
      { namespaces: [] },
      'test/status: invalid namespaces []: list at least one namespace, or leave it out for all',
    ],
    [
      'namespaces bad name',
      { namespaces: ['shop', 'Shop'] },
      'test/status: invalid namespaces[1] "Shop": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'namespaces twice',
      { namespaces: ['shop', 'shop'] },
      'test/status: invalid namespaces ["shop","shop"]: "shop" is listed twice',
    ],
    ['replicas', { replicas: 0 }, 'test/status: invalid replicas 0: use a whole number at least 1'],
    [
      'name',
      { name: 'status_api' },
      'test/status: invalid name "status_api": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'namespace',
      { namespace: '-status' },
      'test/status: invalid namespace "-status": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'image',
      { image: 'mauri0870/k8s-heartbeat' },
      'test/status: invalid image "mauri0870/k8s-heartbeat": pin the image to an exact version tag or digest, e.g. "mauri0870/k8s-heartbeat:1.0.0"',
    ],
    [
      'resources',
      { resources: { requests: { cpu: '1', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
      'test/status: invalid resources.requests.cpu "1": must not exceed limits.cpu (200m)',
    ],
  ])('%s', (_case, props, message) => {
    expect(error(props)).toBe(message);
  });
});

describe('rate-limit helpers', () => {
  it('parseLegacyRateLimit reads ulule/limiter\'s "<count>-<unit>" (units S, M, H, D in any case)', () => {
    expect(parseLegacyRateLimit('3600-H')).toEqual({ requests: 3600, period: '1h' });
    expect(parseLegacyRateLimit('7-d')).toEqual({ requests: 7, period: '24h' });
    expect(parseLegacyRateLimit('1h')).toBeUndefined();
    expect(parseLegacyRateLimit('3600-H-1')).toBeUndefined();
  });

  it('isPositiveGoDuration accepts what time.ParseDuration does, above zero', () => {
    for (const ok of ['1h', '30m', '1m30s', '1.5h', '300ms', '10us', '10µs', '1h0m0s']) {
      expect(isPositiveGoDuration(ok), ok).toBe(true);
    }
    for (const bad of ['', '1d', '1w', '60', '-1h', '0s', '0h0m', '1 h', 'h']) {
      expect(isPositiveGoDuration(bad), bad).toBe(false);
    }
  });
});
