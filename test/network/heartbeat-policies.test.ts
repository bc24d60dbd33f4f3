/**
 * The heartbeat workloads' NetworkPolicies, derived from the real constructs (`networkPolicy()`) and applied with
 * `VectorNetworkPolicies.addWorkload`, judged by what they allow: each flow a heartbeat uses is allowed, and its
 * neighbours (other ports, namespaces, pods and addresses) are denied.
 */
import { describe, expect, it } from 'vitest';
import {
  DeploymentStatusApi,
  type DeploymentStatusApiProps,
  HttpHeartbeat,
  type HttpHeartbeatProps,
  LogHeartbeat,
  type LogHeartbeatProps,
} from '../../lib/heartbeat';
import { DEFAULT_DENY_POLICY, type NetworkPeer } from '../../lib/network';
import { expectValidChart } from '../helpers/k8s-schema';
import type { PodEndpoint } from '../helpers/network-policy';
import {
  API_SERVER,
  constructionError,
  newCluster,
  POLICIES_PATH,
  PODS,
  type PolicyFixture,
  synth,
  tcp,
  udp,
} from './network-fixtures';

const ARBITRARY_IP = { ip: '93.184.216.34' };
/** The API server's endpoints, inside `API_SERVER.cidrs`. */
const API = { ip: '172.16.0.10' };
const API_2 = { ip: '172.16.0.11' };
const INGRESS_LABELS = { 'app.kubernetes.io/name': 'ingress-nginx' };
/** The ingress controller's pod, with a label more than the peer names. */
const INGRESS_CONTROLLER: PodEndpoint = {
  namespace: 'ingress-nginx',
  podLabels: { ...INGRESS_LABELS, 'app.kubernetes.io/component': 'controller' },
};
const INGRESS_PEER: NetworkPeer = { namespace: 'ingress-nginx', podLabels: INGRESS_LABELS };
/** Another pod of the ingress controller's namespace, which the peer does not name. */
const INGRESS_NAMESPACE_OTHER: PodEndpoint = { namespace: 'ingress-nginx', podLabels: { app: 'default-backend' } };
const TOKEN = { name: 'status-api-token', key: 'token' };

/** A cluster with the policies only (no agent, no aggregator), given the API server's endpoints. */
const cluster = () => newCluster({ policies: { apiServer: API_SERVER } });

/** The pod of a heartbeat's Deployment, with the labels of its pod template. */
function podOf(fixture: PolicyFixture, namespace: string, name: string): PodEndpoint {
  const manifests = fixture.chart.toJson() as {
    kind: string;
    metadata: { name: string; namespace?: string };
    spec?: { template?: { metadata?: { labels?: Record<string, string> } } };
  }[];
  const deployment = manifests.find(
    (m) => m.kind === 'Deployment' && m.metadata.name === name && m.metadata.namespace === namespace,
  );
  const labels = deployment?.spec?.template?.metadata?.labels;
  if (!labels) throw new Error(`no Deployment ${namespace}/${name}`);
  return { namespace, podLabels: labels };
}

/** A pod nobody declared, in the namespace. */
const strayIn = (namespace: string): PodEndpoint => ({ namespace, podLabels: { run: 'debug' } });

function logHeartbeat(props: LogHeartbeatProps = {}) {
  const fixture = cluster();
  const heartbeat = new LogHeartbeat(fixture.chart, 'log-heartbeat', props);
  fixture.policies.addWorkload(heartbeat.networkPolicy());
  const s = synth(fixture);
  return { fixture, heartbeat, s, pod: podOf(fixture, heartbeat.namespace, heartbeat.name) };
}

function httpHeartbeat(props: HttpHeartbeatProps = {}, from: readonly NetworkPeer[] = [INGRESS_PEER]) {
  const fixture = cluster();
  const heartbeat = new HttpHeartbeat(fixture.chart, 'http-heartbeat', props);
  fixture.policies.addWorkload(heartbeat.networkPolicy({ from }));
  const s = synth(fixture);
  return { fixture, heartbeat, s, pod: podOf(fixture, heartbeat.namespace, heartbeat.name) };
}

function statusApi(props: Partial<DeploymentStatusApiProps> = {}, from: readonly NetworkPeer[] = [INGRESS_PEER]) {
  const fixture = cluster();
  const api = new DeploymentStatusApi(fixture.chart, 'status-api', { authTokenSecret: TOKEN, ...props });
  fixture.policies.addWorkload(api.networkPolicy({ from }));
  const s = synth(fixture);
  return { fixture, api, s, pod: podOf(fixture, api.namespace, api.name) };
}

const policyNames = (s: ReturnType<typeof synth>) =>
  s.policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);

describe('LogHeartbeat', () => {
  it('describes itself by its own namespace, name, selector labels and namespace ownership', () => {
    const { heartbeat } = logHeartbeat({ namespace: 'beats', name: 'beat' });
    expect(heartbeat.networkPolicy()).toEqual({
      name: 'beat',
      namespace: 'beats',
      selectorLabels: heartbeat.selectorLabels,
      ownsNamespace: true,
    });
  });

  it('may reach nothing at all: no DNS, no API server, no address anywhere', () => {
    const { s, pod } = logHeartbeat();
    s.expectDenied(
      udp(pod, PODS.kubeDns, 53),
      tcp(pod, PODS.kubeDns, 53),
      tcp(pod, API, API_SERVER.port),
      tcp(pod, ARBITRARY_IP, 443),
      tcp(pod, ARBITRARY_IP, 80),
      tcp(pod, PODS.prometheus, 9090),
      tcp(pod, strayIn(pod.namespace), 8080),
    );
  });

  it('is reached by nobody, Prometheus and its own namespace included', () => {
    const { s, pod } = logHeartbeat();
    s.expectDenied(
      tcp(PODS.prometheus, pod, 8080),
      tcp(PODS.web, pod, 80),
      tcp(strayIn(pod.namespace), pod, 8080),
      tcp(INGRESS_CONTROLLER, pod, 8080),
    );
  });

  it('writes a policy with no rule at all, and the default-deny of the namespace it creates', () => {
    const { s, pod, heartbeat } = logHeartbeat();
    expect(policyNames(s)).toEqual([`logging/${DEFAULT_DENY_POLICY}`, 'logging/vector-heartbeat']);
    expect(s.policies[1].spec).toEqual({
      podSelector: { matchLabels: { ...heartbeat.selectorLabels } },
      policyTypes: ['Ingress', 'Egress'],
    });
    s.expectDenied(tcp(strayIn(pod.namespace), ARBITRARY_IP, 443), tcp(PODS.web, strayIn(pod.namespace), 8080));
  });

  it('adds no default-deny to a namespace it does not create', () => {
    const { s } = logHeartbeat({ createNamespace: false });
    expect(policyNames(s)).toEqual(['logging/vector-heartbeat']);
    s.expectAllowed(tcp(strayIn('logging'), ARBITRARY_IP, 443));
  });
});

describe('HttpHeartbeat', () => {
  it('is reached on its port from the peers given, and by nobody else', () => {
    const { s, pod } = httpHeartbeat();
    s.expectAllowed(tcp(INGRESS_CONTROLLER, pod, 8080));
    s.expectDenied(
      tcp(INGRESS_CONTROLLER, pod, 8081),
      tcp(INGRESS_CONTROLLER, pod, 80),
      udp(INGRESS_CONTROLLER, pod, 8080),
      tcp(INGRESS_NAMESPACE_OTHER, pod, 8080),
      tcp(PODS.web, pod, 8080),
      tcp(PODS.prometheus, pod, 8080),
      tcp(strayIn(pod.namespace), pod, 8080),
      tcp(ARBITRARY_IP, pod, 8080),
    );
  });

  it('may reach nothing: it only answers, so not even DNS', () => {
    const { s, pod } = httpHeartbeat();
    s.expectDenied(
      udp(pod, PODS.kubeDns, 53),
      tcp(pod, API, API_SERVER.port),
      tcp(pod, ARBITRARY_IP, 443),
      tcp(pod, INGRESS_CONTROLLER, 443),
    );
  });

  it('follows its port: 9090 opens 9090 and closes 8080', () => {
    const { s, pod } = httpHeartbeat({ port: 9090 });
    s.expectAllowed(tcp(INGRESS_CONTROLLER, pod, 9090));
    s.expectDenied(tcp(INGRESS_CONTROLLER, pod, 8080));
    expect(s.policies.at(-1)?.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            podSelector: { matchLabels: INGRESS_LABELS },
          },
        ],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
    ]);
  });

  it('follows its namespace and name, and allows every peer given', () => {
    const outside = { cidrs: ['198.51.100.0/24'] };
    const { s, pod } = httpHeartbeat({ namespace: 'probes', name: 'beat' }, [INGRESS_PEER, outside]);
    expect(pod.namespace).toBe('probes');
    expect(policyNames(s)).toEqual([`probes/${DEFAULT_DENY_POLICY}`, 'probes/beat']);
    s.expectAllowed(tcp(INGRESS_CONTROLLER, pod, 8080), tcp({ ip: '198.51.100.7' }, pod, 8080));
    s.expectDenied(tcp({ ip: '198.51.101.7' }, pod, 8080));
  });

  it('writes the default-deny of the namespace it creates, and none otherwise', () => {
    const owned = httpHeartbeat();
    expect(policyNames(owned.s)).toEqual([`heartbeat/${DEFAULT_DENY_POLICY}`, 'heartbeat/http-heartbeat']);
    owned.s.expectDenied(tcp(strayIn('heartbeat'), ARBITRARY_IP, 443));
    const shared = httpHeartbeat({ createNamespace: false });
    expect(policyNames(shared.s)).toEqual(['heartbeat/http-heartbeat']);
    shared.s.expectAllowed(tcp(strayIn('heartbeat'), ARBITRARY_IP, 443));
  });

  it('refuses an empty or missing list of peers: a heartbeat nobody may reach answers nobody', () => {
    const refused = (from: unknown) =>
      constructionError(() =>
        new HttpHeartbeat(cluster().chart, 'http-heartbeat', {}).networkPolicy({
          from: from as readonly NetworkPeer[],
        }),
      );
    for (const [from, shown] of [
      [[], '[]'],
      [undefined, '(missing)'],
    ] as const) {
      expect(refused(from)).toBe(
        `cluster/http-heartbeat: invalid networkPolicy.from ${shown}: give at least one peer that may connect to ` +
          'port 8080, e.g. [{ namespace: "ingress-nginx" }]: a server nobody may reach answers no heartbeat',
      );
    }
  });

  it('has its peers checked by addWorkload, like any rule', () => {
    expect(constructionError(() => httpHeartbeat({}, [{ cidrs: ['198.51.100.1/24'] }]))).toBe(
      `${POLICIES_PATH}: invalid workload.ingress[0].peers[0].cidrs[0] "198.51.100.1/24": the address has bits set ` +
        'beyond the /24 prefix; write the network address',
    );
  });
});

describe('DeploymentStatusApi', () => {
  it('is reached on its port from the peers given, and by nobody else', () => {
    const { s, pod } = statusApi();
    s.expectAllowed(tcp(INGRESS_CONTROLLER, pod, 8080));
    s.expectDenied(
      tcp(INGRESS_CONTROLLER, pod, 8081),
      tcp(INGRESS_NAMESPACE_OTHER, pod, 8080),
      tcp(PODS.web, pod, 8080),
      tcp(strayIn(pod.namespace), pod, 8080),
      tcp(ARBITRARY_IP, pod, 8080),
    );
  });

  it('may reach the API server at its endpoints and port, and nothing else: it needs no DNS', () => {
    const { s, pod } = statusApi();
    s.expectAllowed(tcp(pod, API, API_SERVER.port), tcp(pod, API_2, API_SERVER.port));
    s.expectDenied(
      tcp(pod, API, 443),
      tcp(pod, ARBITRARY_IP, API_SERVER.port),
      udp(pod, PODS.kubeDns, 53),
      tcp(pod, PODS.kubeDns, 53),
      tcp(pod, ARBITRARY_IP, 443),
      tcp(pod, PODS.prometheus, 9090),
    );
  });

  it('follows its port', () => {
    const { s, pod } = statusApi({ port: 8443 });
    s.expectAllowed(tcp(INGRESS_CONTROLLER, pod, 8443));
    s.expectDenied(tcp(INGRESS_CONTROLLER, pod, 8080));
  });

  it('writes the default-deny of the namespace it creates', () => {
    const { s } = statusApi();
    expect(policyNames(s)).toEqual([
      `deployment-status/${DEFAULT_DENY_POLICY}`,
      'deployment-status/deployment-status-api',
    ]);
    s.expectDenied(tcp(strayIn('deployment-status'), ARBITRARY_IP, 443));
  });

  it('needs the API server endpoints given to the policies', () => {
    expect(
      constructionError(() => {
        const fixture = newCluster({ policies: {} });
        const api = new DeploymentStatusApi(fixture.chart, 'status-api', { authTokenSecret: TOKEN });
        fixture.policies.addWorkload(api.networkPolicy({ from: [INGRESS_PEER] }));
      }),
    ).toBe(
      `${POLICIES_PATH}: invalid apiServer (missing): workload "deployment-status-api" talks to the API server: give ` +
        'its endpoint addresses and port',
    );
  });

  it('refuses an empty list of peers', () => {
    expect(constructionError(() => statusApi({}, []))).toBe(
      'cluster/status-api: invalid networkPolicy.from []: give at least one peer that may connect to port 8080, ' +
        'e.g. [{ namespace: "ingress-nginx" }]: a server nobody may reach answers no heartbeat',
    );
  });
});

describe('all three in one cluster', () => {
  it('share a namespace with one default-deny, keep each other out, and synthesize valid objects', () => {
    const fixture = cluster();
    const log = new LogHeartbeat(fixture.chart, 'log-heartbeat', { namespace: 'heartbeat' });
    const http = new HttpHeartbeat(fixture.chart, 'http-heartbeat', { createNamespace: false });
    const api = new DeploymentStatusApi(fixture.chart, 'status-api', {
      authTokenSecret: TOKEN,
      namespace: 'heartbeat',
      createNamespace: false,
    });
    fixture.policies.addWorkload(log.networkPolicy());
    fixture.policies.addWorkload(http.networkPolicy({ from: [INGRESS_PEER] }));
    // Claimed twice: the default-deny is still written once.
    fixture.policies.addWorkload({ ...api.networkPolicy({ from: [INGRESS_PEER] }), ownsNamespace: true });
    const s = synth(fixture);
    expect(policyNames(s)).toEqual([
      `heartbeat/${DEFAULT_DENY_POLICY}`,
      'heartbeat/vector-heartbeat',
      'heartbeat/http-heartbeat',
      'heartbeat/deployment-status-api',
    ]);
    const [logPod, httpPod, apiPod] = [
      podOf(fixture, 'heartbeat', log.name),
      podOf(fixture, 'heartbeat', http.name),
      podOf(fixture, 'heartbeat', api.name),
    ];
    s.expectAllowed(tcp(INGRESS_CONTROLLER, httpPod, 8080), tcp(INGRESS_CONTROLLER, apiPod, 8080));
    s.expectDenied(
      tcp(logPod, httpPod, 8080),
      tcp(apiPod, httpPod, 8080),
      tcp(httpPod, apiPod, 8080),
      tcp(INGRESS_CONTROLLER, logPod, 8080),
    );
    expect(() => expectValidChart(fixture.chart)).not.toThrow();
  });
});
