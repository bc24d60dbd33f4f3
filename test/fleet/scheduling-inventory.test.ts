/*
 * The inventory's scheduling fields (agent on every cluster, aggregator on the monitoring cluster) reach the agents'
 * DaemonSets and the aggregators' StatefulSet, and every kind of bad value is refused with the file, cluster and
 * field.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { synthesizeFleet } from '../../lib/fleet';
import { expectValidManifests } from '../helpers/k8s-schema';
import { type Changes, DEV, exampleFleet, exampleYamlError, inventoryReport, MONITORING } from './fixtures';

interface PodTemplate {
  readonly metadata: { readonly labels: Record<string, string> };
  readonly spec: Record<string, unknown> & { containers: { name: string; resources: unknown }[] };
}
interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: { readonly template?: PodTemplate };
}

const FILE = 'fleet.yaml';
const report = (...problems: string[]) => inventoryReport(FILE, ...problems);
const yamlError = (changes: Changes) => exampleYamlError(FILE, changes);

const TOLERATION = { key: 'dedicated', operator: 'Equal', value: 'monitoring', effect: 'NoSchedule' };
const RESOURCES = { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };
const SPREAD = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' };
const NODE_AFFINITY = {
  requiredDuringSchedulingIgnoredDuringExecution: {
    nodeSelectorTerms: [
      { matchExpressions: [{ key: 'node.example.com/pool', operator: 'In', values: ['monitoring'] }] },
    ],
  },
};

describe('scheduling fields in the inventory', () => {
  const outputs = synthesizeFleet(
    exampleFleet({
      'clusters.0.agent': {
        namespace: 'vector-agent',
        tolerations: [TOLERATION],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        priorityClassName: 'fleet-critical',
        resources: RESOURCES,
      },
      'clusters.0.aggregator.nodeSelector': { 'node.example.com/pool': 'monitoring' },
      'clusters.0.aggregator.tolerations': [TOLERATION],
      'clusters.0.aggregator.affinity': { nodeAffinity: NODE_AFFINITY },
      'clusters.0.aggregator.topologySpreadConstraints': [SPREAD],
      'clusters.0.aggregator.resources': RESOURCES,
      'clusters.2.agent': { nodeSelector: { 'kubernetes.io/os': 'linux' }, resources: RESOURCES },
    }),
    FILE,
  );
  const objects = (cluster: string) => {
    const out = outputs.find((o) => o.cluster === cluster);
    if (!out) throw new Error(`no output for ${cluster}`);
    const manifests = parseAllDocuments(out.files[`${cluster}.k8s.yaml`]).map((d) => d.toJS() as Manifest);
    expectValidManifests(manifests);
    return manifests;
  };
  const pod = (cluster: string, kind: string) => {
    const found = objects(cluster).filter((m) => m.kind === kind);
    expect(found).toHaveLength(1);
    return found[0].spec?.template as PodTemplate;
  };
  const containerResources = (template: PodTemplate) =>
    template.spec.containers.find((c) => c.name === 'vector')?.resources;

  it("reach the monitoring cluster's agents", () => {
    const agent = pod('monitoring', 'DaemonSet');
    expect(agent.spec.tolerations).toEqual([TOLERATION]);
    expect(agent.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(agent.spec.priorityClassName).toBe('fleet-critical');
    expect(containerResources(agent)).toEqual(RESOURCES);
  });

  it('reach the aggregators, whose required anti-affinity stays', () => {
    const aggregator = pod('monitoring', 'StatefulSet');
    expect(aggregator.spec.nodeSelector).toEqual({ 'node.example.com/pool': 'monitoring' });
    expect(aggregator.spec.tolerations).toEqual([TOLERATION]);
    expect(aggregator.spec.affinity).toEqual({
      nodeAffinity: NODE_AFFINITY,
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: {
              matchLabels: {
                'app.kubernetes.io/name': 'vector',
                'app.kubernetes.io/instance': 'vector-aggregator',
                'app.kubernetes.io/component': 'aggregator',
              },
            },
            topologyKey: 'kubernetes.io/hostname',
          },
        ],
      },
    });
    expect(aggregator.spec.topologySpreadConstraints).toEqual([
      {
        ...SPREAD,
        labelSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'vector',
            'app.kubernetes.io/instance': 'vector-aggregator',
            'app.kubernetes.io/component': 'aggregator',
          },
        },
      },
    ]);
    expect(containerResources(aggregator)).toEqual(RESOURCES);
  });

  it("reach a source cluster's agents, which keep their defaults for the fields left out", () => {
    const agent = pod('dev', 'DaemonSet');
    expect(agent.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(containerResources(agent)).toEqual(RESOURCES);
    expect(agent.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(agent.spec.priorityClassName).toBe('system-node-critical');
  });
});

describe('bad scheduling fields name the file, the cluster and the field', () => {
  it.each([
    [
      'a toleration operator',
      { 'clusters.2.agent': { tolerations: [{ key: 'k', operator: 'Equals' }] } },
      `${DEV}: agent.tolerations[0].operator: "Equals": must be "Equal" or "Exists"`,
    ],
    [
      'a toleration effect',
      { 'clusters.2.agent': { tolerations: [{ key: 'k', effect: 'NoScheduling' }] } },
      `${DEV}: agent.tolerations[0].effect: "NoScheduling": must be "NoSchedule" or "PreferNoSchedule" or "NoExecute"`,
    ],
    [
      'tolerationSeconds without NoExecute',
      { 'clusters.2.agent': { tolerations: [{ key: 'k', operator: 'Exists', tolerationSeconds: 5 }] } },
      `${DEV}: agent.tolerations[0].tolerationSeconds: 5: applies to effect "NoExecute" only: set effect: NoExecute`,
    ],
    [
      'a toleration without key that is not Exists',
      { 'clusters.0.aggregator.tolerations': [{ value: 'v' }] },
      `${MONITORING}: aggregator.tolerations[0].operator: (missing): must be "Exists" when key is empty`,
    ],
    [
      'a misspelt toleration field',
      { 'clusters.2.agent': { tolerations: [{ key: 'k', operater: 'Exists' }] } },
      `${DEV}: agent.tolerations[0].operater: unknown key (did you mean "operator"?)`,
    ],
    [
      'a nodeSelector key',
      { 'clusters.2.agent': { nodeSelector: { 'bad key': 'x' } } },
      `${DEV}: agent.nodeSelector.bad key: the key must be a Kubernetes label key (an optional DNS-subdomain prefix ` +
        "and '/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)",
    ],
    [
      'a priorityClassName',
      { 'clusters.0.agent': { namespace: 'vector-agent', priorityClassName: 'High' } },
      `${MONITORING}: agent.priorityClassName: "High": must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253`,
    ],
    [
      'a CPU quantity',
      { 'clusters.2.agent': { resources: { ...RESOURCES, requests: { cpu: 'lots', memory: '1Gi' } } } },
      `${DEV}: agent.resources.requests.cpu: "lots": use a CPU quantity such as "100m" or "0.5"`,
    ],
    [
      'requests above limits',
      { 'clusters.0.aggregator.resources': { ...RESOURCES, requests: { cpu: '2', memory: '256Mi' } } },
      `${MONITORING}: aggregator.resources.requests.cpu: "2": must not exceed limits.cpu (1)`,
    ],
    [
      'resources without limits',
      { 'clusters.2.agent': { resources: { requests: RESOURCES.requests } } },
      `${DEV}: agent.resources.limits: is required`,
    ],
    [
      'maxSkew 0',
      { 'clusters.0.aggregator.topologySpreadConstraints': [{ ...SPREAD, maxSkew: 0 }] },
      `${MONITORING}: aggregator.topologySpreadConstraints[0].maxSkew: 0: use a whole number of at least 1`,
    ],
    [
      'a whenUnsatisfiable value',
      { 'clusters.0.aggregator.topologySpreadConstraints': [{ ...SPREAD, whenUnsatisfiable: 'Never' }] },
      `${MONITORING}: aggregator.topologySpreadConstraints[0].whenUnsatisfiable: "Never": must be "DoNotSchedule" or "ScheduleAnyway"`,
    ],
    [
      'minDomains with ScheduleAnyway',
      { 'clusters.0.aggregator.topologySpreadConstraints': [{ ...SPREAD, minDomains: 2 }] },
      `${MONITORING}: aggregator.topologySpreadConstraints[0].minDomains: 2: applies with whenUnsatisfiable "DoNotSchedule" only`,
    ],
    [
      'a node affinity In without values',
      {
        'clusters.0.aggregator.affinity': {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In' }] }],
            },
          },
        },
      },
      `${MONITORING}: aggregator.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: (missing): give at least one value with operator "In"`,
    ],
    [
      'an affinity weight of 0',
      {
        'clusters.0.aggregator.affinity': {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { topologyKey: 'zone' } }],
          },
        },
      },
      `${MONITORING}: aggregator.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: 0: use a whole number from 1 to 100`,
    ],
    [
      'a label selector operator',
      {
        'clusters.0.aggregator.affinity': {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                topologyKey: 'zone',
                labelSelector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
              },
            ],
          },
        },
      },
      `${MONITORING}: aggregator.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator: "Gt": must be "In" or "NotIn" or "Exists" or "DoesNotExist"`,
    ],
    [
      "a source cluster's agent namespace (a monitoring cluster's field)",
      { 'clusters.2.agent': { namespace: 'x' } },
      `${DEV}: agent.namespace: unknown key for role source: it is a field of role monitoring clusters`,
    ],
    [
      'agent: false on a source cluster (its agents are what it is for)',
      { 'clusters.2.agent': false },
      `${DEV}: agent: false: must be a mapping, not a boolean`,
    ],
  ])('%s', (_what, changes, problem) => {
    expect(yamlError(changes)).toBe(report(problem));
  });
});
