/**
 * The NetworkPolicy evaluator the network tests rely on, checked against hand-written policies whose outcome the
 * Kubernetes documentation states.
 */
import { describe, expect, it } from 'vitest';
import {
  type Connection,
  type Endpoint,
  inCidr,
  matches,
  type NetworkPolicyJson,
  NetworkPolicyEvaluator,
  describeConnection,
} from './network-policy';

type Spec = NetworkPolicyJson['spec'];
const policy = (namespace: string, name: string, spec: Spec): NetworkPolicyJson => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

const web = { namespace: 'shop', podLabels: { app: 'web' } };
const db = { namespace: 'shop', podLabels: { app: 'db' } };
const webInTeamA = { namespace: 'team-a', podLabels: { app: 'web' } };
const apiInTeamA = { namespace: 'team-a', podLabels: { app: 'api' } };
const webInTeamB = { namespace: 'team-b', podLabels: { app: 'web' } };
const outside = { ip: '192.0.2.10' };

const tcp = (from: Endpoint, to: Endpoint, port: number): Connection => ({ from, to, port });
const udp = (from: Endpoint, to: Endpoint, port: number): Connection => ({ from, to, port, protocol: 'UDP' });

describe('NetworkPolicyEvaluator', () => {
  it('allows everything without policies', () => {
    const e = new NetworkPolicyEvaluator([]);
    expect(e.isAllowed(tcp(web, db, 5432))).toBe(true);
    expect(e.isAllowed(tcp(outside, web, 80))).toBe(true);
    expect(e.isAllowed(udp(web, outside, 53))).toBe(true);
  });

  it('ignores objects that are not NetworkPolicies', () => {
    const e = new NetworkPolicyEvaluator([{ kind: 'ConfigMap', metadata: { name: 'x' } }, 'text', null]);
    expect(e.policies).toEqual([]);
  });

  it('isolates every pod of a namespace both ways with a default-deny, and only that namespace', () => {
    const e = new NetworkPolicyEvaluator([
      policy('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    expect(e.isAllowed(tcp(web, db, 5432))).toBe(false);
    expect(e.isAllowed(tcp(outside, web, 80))).toBe(false);
    expect(e.isAllowed(udp(web, outside, 53))).toBe(false);
    expect(e.isAllowed(tcp(webInTeamA, apiInTeamA, 80))).toBe(true);
    // Egress of team-a is free, but the destination in shop does not accept.
    expect(e.evaluate(tcp(webInTeamA, web, 80))).toEqual({
      allowed: false,
      egress: { isolated: false },
      ingress: { isolated: true, allowedBy: [] },
    });
  });

  it('defaults policyTypes to Ingress, plus Egress only with an egress section', () => {
    const e = new NetworkPolicyEvaluator([policy('shop', 'deny-ingress', { podSelector: {} })]);
    expect(e.isAllowed(tcp(outside, web, 80))).toBe(false);
    expect(e.isAllowed(tcp(web, outside, 443))).toBe(true);
    const withEgress = new NetworkPolicyEvaluator([policy('shop', 'p', { podSelector: {}, egress: [] })]);
    expect(withEgress.isAllowed(tcp(web, outside, 443))).toBe(false);
  });

  it('needs both the egress of the source and the ingress of the destination', () => {
    const egressOnly = policy('shop', 'web-egress', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] }],
    });
    const dbDeny = policy('shop', 'db-deny', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] });
    expect(new NetworkPolicyEvaluator([egressOnly]).isAllowed(tcp(web, db, 5432))).toBe(true);
    expect(new NetworkPolicyEvaluator([egressOnly]).isAllowed(tcp(web, db, 5433))).toBe(false);
    expect(new NetworkPolicyEvaluator([egressOnly, dbDeny]).isAllowed(tcp(web, db, 5432))).toBe(false);
  });

  it('ANDs namespaceSelector and podSelector in one peer, and ORs separate peers', () => {
    const nsLabels = { 'team-a': { team: 'a' }, 'team-b': { team: 'b' } };
    const and = policy('shop', 'and', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'web' } } }] },
      ],
    });
    const or = policy('shop', 'or', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { team: 'a' } } },
            { podSelector: { matchLabels: { app: 'web' } } },
          ],
        },
      ],
    });
    const withAnd = new NetworkPolicyEvaluator([and], nsLabels);
    expect(withAnd.isAllowed(tcp(webInTeamA, db, 5432))).toBe(true);
    expect(withAnd.isAllowed(tcp(apiInTeamA, db, 5432))).toBe(false);
    expect(withAnd.isAllowed(tcp(webInTeamB, db, 5432))).toBe(false);
    // A podSelector alone is the policy's own namespace, even with the AND peer's labels.
    expect(withAnd.isAllowed(tcp(web, db, 5432))).toBe(false);

    const withOr = new NetworkPolicyEvaluator([or], nsLabels);
    expect(withOr.isAllowed(tcp(webInTeamA, db, 5432))).toBe(true);
    expect(withOr.isAllowed(tcp(apiInTeamA, db, 5432))).toBe(true);
    expect(withOr.isAllowed(tcp(web, db, 5432))).toBe(true);
    expect(withOr.isAllowed(tcp(webInTeamB, db, 5432))).toBe(false);
  });

  it('gives every namespace its kubernetes.io/metadata.name label', () => {
    const e = new NetworkPolicyEvaluator([
      policy('shop', 'p', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } } }] }],
      }),
    ]);
    expect(e.isAllowed(tcp(apiInTeamA, db, 1))).toBe(true);
    expect(e.isAllowed(tcp(webInTeamB, db, 1))).toBe(false);
  });

  it('matches ipBlock with except, for IPv4 and IPv6, and never a pod', () => {
    const e = new NetworkPolicyEvaluator([
      policy('shop', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
              { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ff::/48'] } },
            ],
          },
        ],
      }),
    ]);
    expect(e.isAllowed(tcp(web, { ip: '10.2.3.4' }, 443))).toBe(true);
    expect(e.isAllowed(tcp(web, { ip: '10.1.2.3' }, 443))).toBe(false);
    expect(e.isAllowed(tcp(web, { ip: '11.0.0.1' }, 443))).toBe(false);
    expect(e.isAllowed(tcp(web, { ip: '2001:db8:1::1' }, 443))).toBe(true);
    expect(e.isAllowed(tcp(web, { ip: '2001:db8:ff::1' }, 443))).toBe(false);
    expect(e.isAllowed(tcp(web, { ip: '2001:db9::1' }, 443))).toBe(false);
    expect(e.isAllowed(tcp(web, db, 443))).toBe(false);
  });

  it('checks protocol (TCP by default) and port ranges with endPort', () => {
    const e = new NetworkPolicyEvaluator([
      policy('shop', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 32000, endPort: 32768 },
            ],
          },
        ],
      }),
    ]);
    expect(e.isAllowed(udp(web, outside, 53))).toBe(true);
    expect(e.isAllowed(tcp(web, outside, 53))).toBe(false);
    expect(e.isAllowed(tcp(web, outside, 32000))).toBe(true);
    expect(e.isAllowed(tcp(web, outside, 32768))).toBe(true);
    expect(e.isAllowed(tcp(web, outside, 31999))).toBe(false);
    expect(e.isAllowed(tcp(web, outside, 32769))).toBe(false);
    expect(e.isAllowed(udp(web, outside, 32000))).toBe(false);
  });

  it('treats a missing or empty peer list as every peer, and a missing port list as every port', () => {
    const e = new NetworkPolicyEvaluator([
      policy('shop', 'from-anyone-on-80', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [], ports: [{ port: 80 }] }],
      }),
      policy('shop', 'db-from-web-any-port', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      }),
    ]);
    expect(e.isAllowed(tcp(outside, web, 80))).toBe(true);
    expect(e.isAllowed(tcp(webInTeamB, web, 80))).toBe(true);
    expect(e.isAllowed(tcp(outside, web, 81))).toBe(false);
    expect(e.isAllowed(tcp(web, db, 1))).toBe(true);
    expect(e.isAllowed(udp(web, db, 65535))).toBe(true);
    expect(e.isAllowed(tcp(outside, db, 5432))).toBe(false);
    // A rule that is entirely empty allows everything to the pods it selects.
    const all = new NetworkPolicyEvaluator([policy('shop', 'all', { podSelector: {}, ingress: [{}] })]);
    expect(all.isAllowed(udp(outside, db, 9))).toBe(true);
  });

  it('allows what any one of the selecting policies allows, and names them', () => {
    const e = new NetworkPolicyEvaluator([
      policy('shop', 'http', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }] }),
      policy('shop', 'https', { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] }),
    ]);
    expect(e.evaluate(tcp(outside, web, 80)).ingress).toEqual({ isolated: true, allowedBy: ['shop/http'] });
    expect(e.evaluate(tcp(outside, web, 443)).ingress).toEqual({ isolated: true, allowedBy: ['shop/https'] });
    expect(e.isAllowed(tcp(outside, db, 80))).toBe(false);
    expect(e.isAllowed(tcp(outside, db, 443))).toBe(true);
  });

  it('refuses what it cannot decide: named ports and invalid peers', () => {
    const named = new NetworkPolicyEvaluator([
      policy('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }),
    ]);
    expect(() => named.isAllowed(tcp(outside, web, 80))).toThrow('named port "http": not supported here');
    const empty = new NetworkPolicyEvaluator([policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{}] }] })]);
    expect(() => empty.isAllowed(tcp(outside, web, 80))).toThrow('invalid peer {}');
    const both = new NetworkPolicyEvaluator([
      policy('shop', 'p', {
        podSelector: {},
        ingress: [{ from: [{ podSelector: {}, ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
    ]);
    expect(() => both.isAllowed(tcp(outside, web, 80))).toThrow('invalid peer');
  });

  it('describes a connection', () => {
    expect(describeConnection(udp(web, outside, 53))).toBe('shop/{app=web} -> 192.0.2.10:53/UDP');
  });
});

describe('matches', () => {
  it('implements matchLabels and every matchExpressions operator', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(matches({}, labels)).toBe(true);
    expect(matches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(matches({ matchLabels: { app: 'web', tier: 'back' } }, labels)).toBe(false);
    expect(matches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] }, labels)).toBe(
      true,
    );
    expect(matches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(matches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(matches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });
});

describe('inCidr', () => {
  it.each([
    ['10.0.0.1', '10.0.0.0/24', true],
    ['10.0.1.1', '10.0.0.0/24', false],
    ['203.0.113.10', '203.0.113.10/32', true],
    ['203.0.113.11', '203.0.113.10/32', false],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.0/120', true],
    ['2001:db8::1', '2001:db8::/128', false],
    ['2001:db8::', '2001:db8::/128', true],
    ['10.0.0.1', '::/0', false],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(inCidr(ip, cidr)).toBe(expected);
  });
});
