/**
 * The monitoring cluster collects its own logs: agents on its nodes, in a privileged namespace of their own, with a
 * client certificate cert-manager issues there from the fleet's CA (now under a ClusterIssuer), shipping to the
 * aggregators' in-cluster Service, allowed by the policies on both sides and nothing more. `agent: false` gives the
 * old layout back; bad settings are refused with the field to change.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { synthesizeFleet } from '../../lib/fleet';
import { expectValidManifests } from '../helpers/k8s-schema';
import { NetworkPolicyEvaluator } from '../helpers/network-policy';
import { type Changes, exampleFleet, exampleYamlError, inventoryReport, MONITORING } from './fixtures';

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

const FILE = 'fleet.yaml';

function monitoringObjects(changes: Changes = {}): Manifest[] {
  const out = synthesizeFleet(exampleFleet(changes), FILE).find((o) => o.cluster === 'monitoring');
  if (!out) throw new Error('no monitoring output');
  return parseAllDocuments(out.files['monitoring.k8s.yaml']).map((d) => d.toJS() as Manifest);
}

const find = (objects: readonly Manifest[], kind: string, name: string, namespace?: string) =>
  objects.find((m) => m.kind === kind && m.metadata.name === name && m.metadata.namespace === namespace);

const AGENT_POD = {
  namespace: 'vector-agent',
  podLabels: {
    'app.kubernetes.io/name': 'vector',
    'app.kubernetes.io/instance': 'vector-agent',
    'app.kubernetes.io/component': 'agent',
  },
};
const AGGREGATOR_POD = {
  namespace: 'vector-system',
  podLabels: {
    'app.kubernetes.io/name': 'vector',
    'app.kubernetes.io/instance': 'vector-aggregator',
    'app.kubernetes.io/component': 'aggregator',
  },
};

const inventoryMessage = (changes: Changes) => exampleYamlError(FILE, changes);

describe("the monitoring cluster's own agents", () => {
  const objects = monitoringObjects();

  it('run by default, in vector-agent (privileged), while the aggregators stay restricted in vector-system', () => {
    expect(find(objects, 'DaemonSet', 'vector-agent', 'vector-agent')).toBeDefined();
    const level = (ns: string) =>
      find(objects, 'Namespace', ns)?.metadata.labels?.['pod-security.kubernetes.io/enforce'];
    expect(level('vector-agent')).toBe('privileged');
    expect(level('vector-system')).toBe('restricted');
    expectValidManifests(objects);
  });

  it('present a client certificate issued in the cluster by the CA ClusterIssuer, the CA in cert-manager', () => {
    expect(find(objects, 'Certificate', 'vector-ca', 'cert-manager')).toBeDefined();
    expect(find(objects, 'ClusterIssuer', 'vector-ca')?.spec).toEqual({ ca: { secretName: 'vector-ca' } });
    expect(find(objects, 'Certificate', 'vector-agent-tls', 'vector-agent')?.spec).toMatchObject({
      commonName: 'vector-agent.monitoring',
      issuerRef: { name: 'vector-ca', kind: 'ClusterIssuer' },
    });
  });

  it("ship their logs to the aggregators' Service over mTLS, with the cluster's identity", () => {
    const config = find(objects, 'ConfigMap', 'vector-agent', 'vector-agent')?.data?.['vector.yaml'] ?? '';
    expect(config).toContain('https://vector-aggregator.vector-system.svc:6000');
    expect(config).toContain('.cluster = "monitoring"');
    expect(config).toContain('verify_certificate: true');
  });

  it('may reach the aggregators at the vector port, and the aggregators accept them, by the policies', () => {
    const policies = new NetworkPolicyEvaluator(objects);
    expect(policies.isAllowed({ from: AGENT_POD, to: AGGREGATOR_POD, port: 6000 })).toBe(true);
    expect(policies.isAllowed({ from: AGENT_POD, to: AGGREGATOR_POD, port: 8686 })).toBe(false);
    const other = { namespace: 'vector-agent', podLabels: { app: 'other' } };
    expect(policies.isAllowed({ from: other, to: AGGREGATOR_POD, port: 6000 })).toBe(false);
    // Host metrics go to the in-cluster remote write, the pods the inventory names.
    const prometheus = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
    expect(policies.isAllowed({ from: AGENT_POD, to: prometheus, port: 9090 })).toBe(true);
  });

  it("are watched by the cluster's own alerts and monitors", () => {
    expect(find(objects, 'PodMonitor', 'vector-agent', 'vector-agent')).toBeDefined();
    const rules = JSON.stringify(find(objects, 'PrometheusRule', 'vector-alerts', 'monitoring')?.spec);
    expect(rules).toContain('VectorAgentDown');
    expect(rules).toContain('VectorAggregatorDown');
  });

  it('take another namespace and cert-manager namespace from the inventory', () => {
    const moved = monitoringObjects({
      'clusters.0.agent': { namespace: 'node-logs' },
      'clusters.0.certManagerNamespace': 'security',
    });
    expect(find(moved, 'DaemonSet', 'vector-agent', 'node-logs')).toBeDefined();
    expect(find(moved, 'Certificate', 'vector-ca', 'security')).toBeDefined();
    // The CA's Secret is written there, where the ClusterIssuer reads it: nothing to provide in cert-manager's default.
    const prerequisites =
      synthesizeFleet(
        exampleFleet({ 'clusters.0.agent': { namespace: 'node-logs' }, 'clusters.0.certManagerNamespace': 'security' }),
        FILE,
      ).find((o) => o.cluster === 'monitoring')?.files['prerequisites.yaml'] ?? '';
    expect(prerequisites).toContain('name: security');
    expect(prerequisites).not.toContain('name: vector-ca');
  });

  it("tell the source clusters to copy the CA from cert-manager's namespace, or from vector-system without the agent", () => {
    const prerequisitesOf = (changes: Changes) =>
      synthesizeFleet(exampleFleet(changes), FILE).find((o) => o.cluster === 'management')?.files[
        'prerequisites.yaml'
      ] ?? '';
    expect(prerequisitesOf({})).toContain('kubectl --context monitoring -n cert-manager get secret vector-ca -o json');
    expect(prerequisitesOf({ 'clusters.0.agent': false })).toContain(
      'kubectl --context monitoring -n vector-system get secret vector-ca -o json',
    );
  });

  it("with agent: false, are not there, and the CA stays in the aggregators' namespace under an Issuer", () => {
    const without = monitoringObjects({ 'clusters.0.agent': false });
    expect(without.filter((m) => m.kind === 'DaemonSet')).toEqual([]);
    expect(find(without, 'Certificate', 'vector-ca', 'vector-system')).toBeDefined();
    expect(find(without, 'Issuer', 'vector-ca', 'vector-system')).toBeDefined();
    expect(without.filter((m) => m.kind === 'ClusterIssuer').map((m) => m.metadata.name)).toEqual([
      'vector-selfsigned',
    ]);
  });
});

describe('bad monitoring agent settings', () => {
  const report = (problem: string) => inventoryReport(FILE, problem);

  it("refuses the aggregators' namespace for the agent", () => {
    expect(inventoryMessage({ 'clusters.0.agent': { namespace: 'vector-system' } })).toBe(
      report(
        `${MONITORING}: agent.namespace: "vector-system" is the aggregators' namespace, which is Pod Security restricted, and the agent needs host paths (privileged): use a namespace of its own, e.g. "vector-agent"`,
      ),
    );
  });

  it('refuses certManagerNamespace without the agent', () => {
    expect(inventoryMessage({ 'clusters.0.agent': false, 'clusters.0.certManagerNamespace': 'cert-manager' })).toBe(
      report(
        `${MONITORING}: certManagerNamespace: is used only with the monitoring cluster's agent on (the CA moves there, under a ClusterIssuer); with agent: false the CA stays in the aggregators' namespace: remove certManagerNamespace`,
      ),
    );
  });

  it('refuses a namespace that is not a DNS label, an unknown agent key and an agent that is neither false nor a mapping', () => {
    expect(inventoryMessage({ 'clusters.0.agent': { namespace: 'Node_Logs' } })).toMatch(
      /- cluster "monitoring" \(clusters\[0\]\): agent\.namespace: "Node_Logs": must be a DNS label/,
    );
    expect(inventoryMessage({ 'clusters.0.agent': { namespaces: 'x' } })).toMatch(
      /- cluster "monitoring" \(clusters\[0\]\): agent\.namespaces: unknown key \(did you mean "namespace"\?\)/,
    );
    expect(inventoryMessage({ 'clusters.0.agent': true })).toBe(
      report(`${MONITORING}: agent: true: must be false (off) or a mapping of its options`),
    );
  });
});
