/**
 * Every bad prop of VectorNetworkPolicies is refused in the constructor (or in `addWorkload`) with
 * `<construct path>: invalid <prop> <value>: <what is allowed>`, and what a workload needs but was not given is named.
 */
import { describe, expect, it } from 'vitest';
import type { NetworkPolicyWorkload, VectorNetworkPoliciesProps } from '../../lib/network';
import {
  API_SERVER,
  constructionError,
  monitoringCluster,
  newCluster,
  POLICIES_PATH,
  sourceCluster,
} from './network-fixtures';

const error = (prop: string, value: string, allowed: string) =>
  `${POLICIES_PATH}: invalid ${prop} ${value}: ${allowed}`;
const CIDR_ALLOWED = 'use a CIDR block such as "10.0.0.0/16" or "2001:db8::/32"';
const CIDRS_ALLOWED = 'give at least one CIDR block, e.g. ["203.0.113.10/32"]';
const PORT_ALLOWED = 'a port is a whole number from 1 to 65535';
const PEER_ALLOWED = 'give { namespace, podLabels? } for pods, or { cidrs } for addresses outside the cluster';
const DNS_LABEL_ALLOWED =
  'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
/** Props typed loosely on purpose: JavaScript and YAML-fed callers are not type-checked. */
const loose = (props: Record<string, unknown>) => props as Partial<VectorNetworkPoliciesProps>;

describe('CIDRs', () => {
  it.each([
    [
      'apiServer',
      { apiServer: { ...API_SERVER, cidrs: ['172.16.0.300/32'] } },
      'apiServer.cidrs[0]',
      '"172.16.0.300/32"',
    ],
    ['nodeCidrs', { nodeCidrs: ['10.0.0.0/24', 'nodes'] }, 'nodeCidrs[1]', '"nodes"'],
    ['aggregatorCidrs', { aggregatorCidrs: ['203.0.113.10'] }, 'aggregatorCidrs[0]', '"203.0.113.10"'],
    ['remoteWrite', { remoteWrite: { cidrs: ['198.51.100.20/33'] } }, 'remoteWrite.cidrs[0]', '"198.51.100.20/33"'],
    ['dns', { dns: { cidrs: ['kube-dns'] } }, 'dns.cidrs[0]', '"kube-dns"'],
    ['prometheus', { prometheus: { cidrs: ['10.0.0.0/8/8'] } }, 'prometheus.cidrs[0]', '"10.0.0.0/8/8"'],
  ])('refuses a CIDR that does not parse in %s', (_, props, prop, shown) => {
    expect(constructionError(() => sourceCluster({}, loose(props)))).toBe(error(prop, shown, CIDR_ALLOWED));
  });

  it('refuses a CIDR with host bits set, naming the prefix', () => {
    expect(constructionError(() => sourceCluster({}, { nodeCidrs: ['10.0.0.1/24'] }))).toBe(
      error(
        'nodeCidrs[0]',
        '"10.0.0.1/24"',
        'the address has bits set beyond the /24 prefix; write the network address',
      ),
    );
  });

  it.each([
    [
      'sourceClusterCidrs',
      { sourceClusterCidrs: ['192.0.2.0/24', '192.0.2.0/99'] },
      'sourceClusterCidrs[1]',
      '"192.0.2.0/99"',
    ],
    ['loki', { loki: { cidrs: ['loki.example.com'] } }, 'loki.cidrs[0]', '"loki.example.com"'],
  ])('refuses a CIDR that does not parse in the aggregator prop %s', (_, props, prop, shown) => {
    expect(constructionError(() => monitoringCluster({}, false, loose(props)))).toBe(error(prop, shown, CIDR_ALLOWED));
  });

  it('refuses empty CIDR lists, except sourceClusterCidrs where [] means no sender from outside', () => {
    expect(constructionError(() => sourceCluster({}, { apiServer: { cidrs: [], port: 6443 } }))).toBe(
      error('apiServer.cidrs', '[]', CIDRS_ALLOWED),
    );
    expect(constructionError(() => sourceCluster({}, { aggregatorCidrs: [] }))).toBe(
      error('aggregatorCidrs', '[]', CIDRS_ALLOWED),
    );
    expect(constructionError(() => sourceCluster({}, { remoteWrite: { cidrs: [] } }))).toBe(
      error('remoteWrite.cidrs', '[]', CIDRS_ALLOWED),
    );
    expect(() => monitoringCluster({}, {}, { sourceClusterCidrs: [] })).not.toThrow();
    expect(constructionError(() => monitoringCluster({}, false, loose({ sourceClusterCidrs: '192.0.2.0/24' })))).toBe(
      error('sourceClusterCidrs', '"192.0.2.0/24"', 'give a list of CIDR blocks, e.g. ["198.51.100.0/24"]'),
    );
  });

  it('refuses an IPv6 CIDR with host bits set, naming the prefix', () => {
    for (const [cidr, prefix] of [
      ['2001:db8::1/32', 32],
      ['2001:db8:0:0:8000::/64', 64],
      ['::ffff:192.0.2.1/120', 120],
    ] as const) {
      expect(constructionError(() => sourceCluster({}, { nodeCidrs: [cidr] }))).toBe(
        error(
          'nodeCidrs[0]',
          JSON.stringify(cidr),
          `the address has bits set beyond the /${prefix} prefix; write the network address`,
        ),
      );
    }
  });

  it('refuses an IPv6 address with a zone, which no CIDR block has', () => {
    expect(constructionError(() => sourceCluster({}, { nodeCidrs: ['fe80::1%eth0/128'] }))).toBe(
      error('nodeCidrs[0]', '"fe80::1%eth0/128"', CIDR_ALLOWED),
    );
  });

  it('accepts IPv6 blocks', () => {
    expect(() =>
      sourceCluster({}, { apiServer: { cidrs: ['2001:db8::10/128'], port: 6443 }, nodeCidrs: ['2001:db8:1::/64'] }),
    ).not.toThrow();
    expect(() =>
      sourceCluster({}, { nodeCidrs: ['::/0', '2001:db8::/32', '::ffff:192.0.2.0/120', 'fe80::/10'] }),
    ).not.toThrow();
  });
});

describe('ports', () => {
  it.each([
    [0, '0'],
    [65536, '65536'],
    [6443.5, '6443.5'],
    [Number.NaN, 'NaN'],
  ])('refuses the API server port %s', (port, shown) => {
    expect(constructionError(() => sourceCluster({}, { apiServer: { ...API_SERVER, port } }))).toBe(
      error('apiServer.port', shown, PORT_ALLOWED),
    );
  });

  it('refuses a missing API server port', () => {
    expect(constructionError(() => sourceCluster({}, loose({ apiServer: { cidrs: API_SERVER.cidrs } })))).toBe(
      error('apiServer.port', '(missing)', PORT_ALLOWED),
    );
  });

  it('refuses a targetPort out of range', () => {
    expect(
      constructionError(() => monitoringCluster({}, false, { loki: { namespace: 'monitoring', targetPort: 70000 } })),
    ).toBe(error('loki.targetPort', '70000', PORT_ALLOWED));
  });

  it('refuses an in-cluster aggregator endpoint on another port than the vector port', () => {
    expect(
      constructionError(() =>
        newCluster({
          aggregator: {},
          agent: { aggregator: { endpoints: ['vector-aggregator.vector-system.svc:7000'] }, createNamespace: false },
          agentInCluster: false,
          policies: {
            apiServer: API_SERVER,
            nodeCidrs: ['10.0.0.0/24'],
            sourceClusterCidrs: [],
            loki: { namespace: 'monitoring' },
            remoteWrite: { cidrs: ['198.51.100.20/32'] },
          },
        }),
      ),
    ).toBe(
      error(
        'agent.aggregatorEndpoints[0]',
        '"vector-aggregator.vector-system.svc:7000"',
        'the aggregator cluster/aggregator listens on port 6000',
      ),
    );
  });
});

describe('peers', () => {
  it.each([
    [
      'neither shape',
      { remoteWrite: { podLabels: { app: 'prometheus' } } },
      'remoteWrite',
      '{"podLabels":{"app":"prometheus"}}',
    ],
    [
      'both shapes',
      { dns: { namespace: 'kube-system', cidrs: ['10.96.0.10/32'] } },
      'dns',
      '{"namespace":"kube-system","cidrs":["10.96.0.10/32"]}',
    ],
    ['not an object', { prometheus: 'monitoring' }, 'prometheus', '"monitoring"'],
  ])('refuses a peer of %s', (_, props, prop, shown) => {
    expect(constructionError(() => sourceCluster({}, loose(props)))).toBe(error(prop, shown, PEER_ALLOWED));
  });

  it('refuses a namespace that is not a namespace name', () => {
    expect(constructionError(() => sourceCluster({}, { prometheus: { namespace: 'Monitoring' } }))).toBe(
      error('prometheus.namespace', '"Monitoring"', DNS_LABEL_ALLOWED),
    );
  });

  it('refuses pod labels Kubernetes would refuse', () => {
    expect(
      constructionError(() =>
        sourceCluster({}, { prometheus: { namespace: 'monitoring', podLabels: { app: 'a b' } } }),
      ),
    ).toBe(
      error(
        'prometheus.podLabels["app"]',
        '"a b"',
        'a label value has at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric',
      ),
    );
    expect(
      constructionError(() =>
        sourceCluster({}, { prometheus: { namespace: 'monitoring', podLabels: { '-app': 'x' } } }),
      ),
    ).toBe(
      error(
        'prometheus.podLabels key',
        '"-app"',
        'a label key is an optional DNS-subdomain prefix and "/", then a name',
      ),
    );
  });

  it('refuses CIDRs for a URL that names an in-cluster Service, whose pods the policies see', () => {
    expect(constructionError(() => monitoringCluster({}, false, { loki: { cidrs: ['10.96.12.34/32'] } }))).toBe(
      error(
        'loki.cidrs',
        '["10.96.12.34/32"]',
        'loki-gateway.monitoring.svc:80 is an in-cluster Service, and policies see the pods behind it: give them as ' +
          '{ namespace: "monitoring", podLabels }',
      ),
    );
  });

  it('refuses pods in another namespace than the Service the URL names', () => {
    expect(constructionError(() => monitoringCluster({}, false, { remoteWrite: { namespace: 'prometheus' } }))).toBe(
      error(
        'remoteWrite.namespace',
        '"prometheus"',
        'prometheus-operated.monitoring.svc:9090 is a Service in namespace "monitoring"',
      ),
    );
  });
});

describe('what a workload needs', () => {
  it('needs the API server with an agent, because kubernetes_logs watches it', () => {
    expect(constructionError(() => sourceCluster({}, { apiServer: undefined }))).toBe(
      error(
        'apiServer',
        '(missing)',
        "the agent's kubernetes_logs source watches the API server: give the addresses and port of the " +
          'default/kubernetes endpoints ' +
          '(kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)',
      ),
    );
  });

  it('needs the node CIDRs when the agent scrapes the kubelet', () => {
    expect(constructionError(() => sourceCluster({}, { nodeCidrs: undefined }))).toBe(
      error(
        'nodeCidrs',
        '(missing)',
        'the agent scrapes the kubelet of every node on port 10250: give the node addresses as CIDRs',
      ),
    );
  });

  it('needs the CIDRs of an aggregator endpoint outside the cluster, because policies cannot match DNS names', () => {
    expect(constructionError(() => sourceCluster({}, { aggregatorCidrs: undefined }))).toBe(
      error(
        'aggregatorCidrs',
        '(missing)',
        'the agent ships to vector.monitoring.example.com:6000, outside this cluster; NetworkPolicy cannot match DNS ' +
          'names: give the addresses it resolves to as CIDRs',
      ),
    );
  });

  it('needs the VectorAggregator behind an in-cluster Service the agent ships to', () => {
    expect(
      constructionError(() =>
        sourceCluster({ aggregator: { endpoints: ['vector-aggregator.logging.svc.cluster.local:6000'] } }),
      ),
    ).toBe(
      error(
        'aggregator',
        '(missing)',
        'the agent ships to the in-cluster Service vector-aggregator.logging.svc.cluster.local:6000: give the ' +
          'VectorAggregator behind it, whose pods the policies select (they see pod addresses, not the Service)',
      ),
    );
  });

  it('needs the remote-write destination of the agent and of the aggregator', () => {
    expect(constructionError(() => sourceCluster({}, { remoteWrite: undefined }))).toBe(
      error(
        'remoteWrite',
        '(missing)',
        'the agent connects to prometheus.monitoring.example.com:443: give the pods behind it as ' +
          '{ namespace, podLabels, targetPort? }, or its addresses outside the cluster as { cidrs }',
      ),
    );
    expect(constructionError(() => monitoringCluster({}, false, { remoteWrite: undefined }))).toBe(
      error(
        'remoteWrite',
        '(missing)',
        'the aggregator connects to prometheus-operated.monitoring.svc:9090: give the pods behind it as ' +
          '{ namespace, podLabels, targetPort? }, or its addresses outside the cluster as { cidrs }',
      ),
    );
  });

  it('needs Loki and the source-cluster CIDRs with an aggregator', () => {
    expect(constructionError(() => monitoringCluster({}, false, { loki: undefined }))).toBe(
      error(
        'loki',
        '(missing)',
        'the aggregator connects to loki-gateway.monitoring.svc:80: give the pods behind it as ' +
          '{ namespace, podLabels, targetPort? }, or its addresses outside the cluster as { cidrs }',
      ),
    );
    expect(constructionError(() => monitoringCluster({}, false, { sourceClusterCidrs: undefined }))).toBe(
      error(
        'sourceClusterCidrs',
        '(missing)',
        'give the addresses agents of other clusters connect from, as the aggregator pods see them, or [] when only ' +
          'the agent given here sends',
      ),
    );
  });

  it('needs prometheus to be said, even if false', () => {
    expect(constructionError(() => sourceCluster({}, { prometheus: undefined }))).toBe(
      error(
        'prometheus',
        '(missing)',
        'give the Prometheus that scrapes Vector ({ namespace, podLabels? } or { cidrs }), ' +
          'or false to let nobody scrape',
      ),
    );
  });

  it('refuses an agent on the host network, which NetworkPolicy does not reach', () => {
    expect(constructionError(() => sourceCluster({ hostNetwork: true }))).toBe(
      error(
        'agent',
        '"cluster/agent"',
        'the agent runs with hostNetwork, where NetworkPolicy does not apply: leave it out, and allow its node ' +
          'addresses where it connects (e.g. in sourceClusterCidrs)',
      ),
    );
  });
});

describe('names', () => {
  it('refuses a bad instance name and a bad default-deny namespace', () => {
    expect(constructionError(() => sourceCluster({}, { name: 'Vector_Policies' }))).toBe(
      error('name', '"Vector_Policies"', DNS_LABEL_ALLOWED),
    );
    expect(constructionError(() => sourceCluster({}, { defaultDenyNamespaces: ['ok', 'not ok'] }))).toBe(
      error('defaultDenyNamespaces[1]', '"not ok"', DNS_LABEL_ALLOWED),
    );
  });
});

describe('addWorkload', () => {
  const workload: NetworkPolicyWorkload = {
    name: 'http-heartbeat',
    namespace: 'heartbeat',
    selectorLabels: { 'app.kubernetes.io/name': 'heartbeat' },
  };
  const addError = (w: Record<string, unknown>, setup?: (f: ReturnType<typeof sourceCluster>) => void) =>
    constructionError(() => {
      const fixture = sourceCluster();
      setup?.(fixture);
      fixture.policies.addWorkload({ ...workload, ...w } as unknown as NetworkPolicyWorkload);
    });
  const rule = (ports: unknown) => ({ ingress: [{ peers: [{ namespace: 'ingress-nginx' }], ports }] });

  it.each([
    [[{ port: 0 }], 'workload.ingress[0].ports[0].port', '0', PORT_ALLOWED],
    [[{ port: 80 }, { port: 30000, endPort: 70000 }], 'workload.ingress[0].ports[1].endPort', '70000', PORT_ALLOWED],
    [
      [{ port: 30010, endPort: 30000 }],
      'workload.ingress[0].ports[0].endPort',
      '30000',
      'must be at least port (30010)',
    ],
    [[{ port: 80, protocol: 'ICMP' }], 'workload.ingress[0].ports[0].protocol', '"ICMP"', 'use "TCP", "UDP" or "SCTP"'],
    [[], 'workload.ingress[0].ports', '[]', 'give at least one port: an empty list would open every port'],
  ])('refuses the ports %j', (ports, prop, shown, allowed) => {
    expect(addError(rule(ports))).toBe(error(prop, shown, allowed));
  });

  it('refuses a rule without peers, and a bad peer', () => {
    expect(addError({ egress: [{ peers: [], ports: [{ port: 443 }] }] })).toBe(
      error('workload.egress[0].peers', '[]', 'give at least one peer: an empty list would allow everyone'),
    );
    expect(addError({ egress: [{ peers: [{ cidrs: ['0.0.0.0/33'] }], ports: [{ port: 443 }] }] })).toBe(
      error('workload.egress[0].peers[0].cidrs[0]', '"0.0.0.0/33"', CIDR_ALLOWED),
    );
  });

  it('refuses an empty selector, which would select every pod of the namespace', () => {
    expect(addError({ selectorLabels: {} })).toBe(
      error(
        'workload.selectorLabels',
        '{}',
        "give the labels of the workload's pods: an empty selector would select every pod of the namespace",
      ),
    );
  });

  it('refuses a name or namespace Kubernetes would refuse', () => {
    expect(addError({ name: 'Heartbeat' })).toBe(
      error('workload.name', '"Heartbeat"', 'use lowercase letters, digits, "-" and ".", at most 253 characters'),
    );
    expect(addError({ namespace: 'heart_beat' })).toBe(error('workload.namespace', '"heart_beat"', DNS_LABEL_ALLOWED));
  });

  it('refuses a second policy of the same name in a namespace, the default-deny included', () => {
    expect(addError({}, (f) => f.policies.addWorkload(workload))).toBe(
      error('workload.name', '"http-heartbeat"', 'namespace "heartbeat" has a policy of that name already'),
    );
    expect(addError({ name: 'default-deny', namespace: 'vector-system' })).toBe(
      error('workload.name', '"default-deny"', 'namespace "vector-system" has a policy of that name already'),
    );
    expect(
      constructionError(() => {
        const fixture = sourceCluster();
        fixture.policies.addWorkload({ ...workload, name: 'default-deny' });
        fixture.policies.addDefaultDeny('heartbeat');
      }),
    ).toBe(error('namespace', '"heartbeat"', 'a workload\'s policy there is named "default-deny" already'));
  });

  it('refuses a policy named default-deny with ownsNamespace, which adds the default-deny of that name', () => {
    expect(addError({ name: 'default-deny', ownsNamespace: true })).toBe(
      error(
        'workload.name',
        '"default-deny"',
        'the default-deny that ownsNamespace adds to namespace "heartbeat" has that name: name the policy after the ' +
          'workload',
      ),
    );
  });

  it('needs the API server prop for a workload that talks to it', () => {
    expect(
      constructionError(() => {
        const fixture = monitoringCluster({}, false, { apiServer: undefined });
        fixture.policies.addWorkload({ ...workload, apiServer: true });
      }),
    ).toBe(
      error(
        'apiServer',
        '(missing)',
        'workload "http-heartbeat" talks to the API server: give its endpoint addresses and port',
      ),
    );
  });
});
