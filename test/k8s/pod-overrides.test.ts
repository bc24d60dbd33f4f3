/*
 * `pod` (PodOverrides) on every workload construct: each option read back from the synthesized object (cdk8s-plus
 * drops fields it does not know, so only the output proves an option arrived), and every bad input refused with the
 * construct path, the field, the value and what is allowed.
 */
import { k8s } from 'cdk8s-plus-28';
import { Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { VectorAgent } from '../../lib/agent';
import { VectorAggregator } from '../../lib/aggregator';
import { DeploymentStatusApi, HttpHeartbeat, LogHeartbeat } from '../../lib/heartbeat';
import type { PodOverrides } from '../../lib/k8s/pod-overrides';
import { thrownMessage } from '../helpers/errors';
import { expectValidManifests } from '../helpers/k8s-schema';

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec?: { readonly template?: PodTemplate };
}
interface Container {
  readonly name: string;
  readonly env?: { name: string; value?: string }[];
  readonly envFrom?: unknown[];
  readonly volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  readonly metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly spec: {
    readonly containers: Container[];
    readonly [field: string]: unknown;
  };
}

/** Each workload construct: how to build it with `pod`, its workload kind, main container and construct path. */
const WORKLOADS = [
  {
    name: 'VectorAgent',
    kind: 'DaemonSet',
    container: 'vector',
    build: (scope: Construct, pod?: PodOverrides) =>
      new VectorAgent(scope, 'w', {
        cluster: { name: 'dev', environment: 'development', region: 'fsn1' },
        aggregator: { endpoints: ['vector.example.com:6000'] },
        remoteWrite: false,
        pod,
      }),
  },
  {
    name: 'VectorAggregator (StatefulSet)',
    kind: 'StatefulSet',
    container: 'vector',
    build: (scope: Construct, pod?: PodOverrides) =>
      new VectorAggregator(scope, 'w', {
        loki: { endpoint: 'http://loki.monitoring.svc:3100' },
        metrics: { exporter: { port: 9090 } },
        pod,
      }),
  },
  {
    name: 'VectorAggregator (Deployment)',
    kind: 'Deployment',
    container: 'vector',
    build: (scope: Construct, pod?: PodOverrides) =>
      new VectorAggregator(scope, 'w', {
        loki: { endpoint: 'http://loki.monitoring.svc:3100' },
        metrics: { exporter: { port: 9090 } },
        stateless: true,
        pod,
      }),
  },
  {
    name: 'LogHeartbeat',
    kind: 'Deployment',
    container: 'heartbeat',
    build: (scope: Construct, pod?: PodOverrides) => new LogHeartbeat(scope, 'w', { pod }),
  },
  {
    name: 'HttpHeartbeat',
    kind: 'Deployment',
    container: 'heartbeat',
    build: (scope: Construct, pod?: PodOverrides) => new HttpHeartbeat(scope, 'w', { pod }),
  },
  {
    name: 'DeploymentStatusApi',
    kind: 'Deployment',
    container: 'api',
    build: (scope: Construct, pod?: PodOverrides) =>
      new DeploymentStatusApi(scope, 'w', { authTokenSecret: { name: 'status-token', key: 'token' }, pod }),
  },
] as const;

type Workload = (typeof WORKLOADS)[number];

function synthPod(w: Workload, pod?: PodOverrides): { template: PodTemplate; container: Container } {
  const chart = Testing.chart();
  w.build(chart, pod);
  const manifests = Testing.synth(chart) as Manifest[];
  expectValidManifests(manifests);
  const workloads = manifests.filter((m) => m.kind === w.kind);
  expect(workloads).toHaveLength(1);
  const template = workloads[0].spec?.template as PodTemplate;
  const container = template.spec.containers.find((c) => c.name === w.container) as Container;
  return { template, container };
}

const error = (w: Workload, pod: PodOverrides) => thrownMessage(() => w.build(Testing.chart(), pod));

/** Each option with a value and what must be read back from the pod template. */
const OPTIONS: readonly {
  readonly option: keyof PodOverrides;
  readonly pod: PodOverrides;
  readonly check: (t: PodTemplate, c: Container, defaults: PodTemplate) => void;
}[] = [
  {
    option: 'nodeSelector',
    pod: { nodeSelector: { 'node-role.example.com/logging': 'true' } },
    check: (t) => expect(t.spec.nodeSelector).toEqual({ 'node-role.example.com/logging': 'true' }),
  },
  {
    option: 'affinity',
    pod: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 10, preference: { matchExpressions: [{ key: 'pool', operator: 'Exists' }] } },
          ],
        },
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 50,
              podAffinityTerm: {
                topologyKey: 'topology.kubernetes.io/zone',
                labelSelector: { matchLabels: { app: 'loki' } },
                namespaces: ['monitoring'],
              },
            },
          ],
        },
      },
    },
    check: (t) => {
      const affinity = t.spec.affinity as Record<string, Record<string, unknown>>;
      expect(affinity.nodeAffinity).toEqual({
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: { matchExpressions: [{ key: 'pool', operator: 'Exists' }] } },
        ],
      });
      expect(affinity.podAffinity).toEqual({
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            podAffinityTerm: {
              topologyKey: 'topology.kubernetes.io/zone',
              labelSelector: { matchLabels: { app: 'loki' } },
              namespaces: ['monitoring'],
            },
          },
        ],
      });
    },
  },
  {
    option: 'topologySpreadConstraints',
    pod: {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          minDomains: 2,
          nodeTaintsPolicy: 'Honor',
        },
      ],
    },
    check: (t, _c, defaults) => {
      const selectorLabels = Object.fromEntries(
        Object.entries(defaults.metadata.labels ?? {}).filter(([k]) =>
          ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component'].includes(k),
        ),
      );
      expect(t.spec.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          minDomains: 2,
          nodeTaintsPolicy: 'Honor',
          // Spread the workload's own pods unless told otherwise.
          labelSelector: { matchLabels: selectorLabels },
        },
      ]);
    },
  },
  {
    option: 'tolerations',
    pod: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'logging', effect: 'NoSchedule' }] },
    check: (t) =>
      expect(t.spec.tolerations).toEqual([
        { key: 'dedicated', operator: 'Equal', value: 'logging', effect: 'NoSchedule' },
      ]),
  },
  {
    option: 'priorityClassName',
    pod: { priorityClassName: 'observability-high' },
    check: (t) => expect(t.spec.priorityClassName).toBe('observability-high'),
  },
  {
    option: 'env',
    pod: {
      env: [
        { name: 'EXTRA_SETTING', value: 'on' },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      ],
    },
    check: (_t, c) =>
      expect(c.env?.slice(-2)).toEqual([
        { name: 'EXTRA_SETTING', value: 'on' },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      ]),
  },
  {
    option: 'envFrom',
    pod: { envFrom: [{ configMapRef: { name: 'proxy-settings' }, prefix: 'PROXY_' }] },
    check: (_t, c) => expect(c.envFrom).toEqual([{ configMapRef: { name: 'proxy-settings' }, prefix: 'PROXY_' }]),
  },
  {
    option: 'volumes',
    pod: { volumes: [{ name: 'extra-ca', secret: { secretName: 'corporate-ca' } }] },
    check: (t) =>
      expect((t.spec.volumes as unknown[]).at(-1)).toEqual({
        name: 'extra-ca',
        secret: { secretName: 'corporate-ca' },
      }),
  },
  {
    option: 'volumeMounts',
    pod: {
      volumes: [{ name: 'scratch', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
      volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
    },
    check: (t, c) => {
      expect(c.volumeMounts?.at(-1)).toEqual({ name: 'scratch', mountPath: '/scratch' });
      // The typed quantity survives (a plain string would come out as null).
      expect((t.spec.volumes as unknown[]).at(-1)).toEqual({ name: 'scratch', emptyDir: { sizeLimit: '64Mi' } });
    },
  },
  {
    option: 'labels',
    pod: { labels: { team: 'observability' } },
    check: (t, _c, defaults) =>
      expect(t.metadata.labels).toEqual({ ...defaults.metadata.labels, team: 'observability' }),
  },
  {
    option: 'annotations',
    pod: { annotations: { 'example.com/owner': 'observability' } },
    check: (t, _c, defaults) =>
      expect(t.metadata.annotations).toEqual({
        ...defaults.metadata.annotations,
        'example.com/owner': 'observability',
      }),
  },
  {
    option: 'imagePullSecrets',
    pod: { imagePullSecrets: ['registry-credentials'] },
    check: (t) => expect(t.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]),
  },
];

describe.each(WORKLOADS)('pod on $name', (w) => {
  const defaults = synthPod(w).template;

  it.each(OPTIONS)('$option is in the synthesized pod template', ({ pod, check }) => {
    const { template, container } = synthPod(w, pod);
    check(template, container, defaults);
  });

  it('changes nothing without pod', () => {
    expect(synthPod(w, {}).template).toEqual(defaults);
  });

  it('refuses an env var the construct sets itself, naming both', () => {
    const own = defaults.spec.containers.find((c) => c.name === w.container)?.env?.[0]?.name;
    if (own === undefined) return; // this container sets no env: nothing can clash.
    expect(error(w, { env: [{ name: own, value: 'x' }] })).toBe(
      `test/w: invalid pod.env[0].name "${own}": clashes with the env var "${own}" that container "${w.container}" sets itself; use another name`,
    );
  });

  it('refuses a pod label the construct sets (its selector labels)', () => {
    expect(error(w, { labels: { 'app.kubernetes.io/instance': 'other' } })).toMatch(
      /^test\/w: invalid pod\.labels\["app\.kubernetes\.io\/instance"\] "other": the construct sets this label itself \(".+"\); its selector and identity labels cannot be overridden$/,
    );
  });

  it('refuses a volume named like its own, and a mount over its own mount path', () => {
    const ownVolume = (defaults.spec.volumes as { name: string }[] | undefined)?.[0]?.name;
    if (ownVolume !== undefined) {
      expect(error(w, { volumes: [{ name: ownVolume, emptyDir: {} }] })).toBe(
        `test/w: invalid pod.volumes[0].name "${ownVolume}": the construct has a volume of this name itself; use another name`,
      );
    }
    const ownMount = defaults.spec.containers.find((c) => c.name === w.container)?.volumeMounts?.[0];
    if (ownMount !== undefined) {
      expect(
        error(w, {
          volumes: [{ name: 'extra', emptyDir: {} }],
          volumeMounts: [{ name: 'extra', mountPath: `${ownMount.mountPath}/sub` }],
        }),
      ).toBe(
        `test/w: invalid pod.volumeMounts[0].mountPath "${ownMount.mountPath}/sub": is at or inside "${ownMount.mountPath}", where container "${w.container}" mounts a volume of its own`,
      );
    }
  });
});

describe('pod on VectorAggregator: affinity is merged with its required anti-affinity', () => {
  const aggregator = WORKLOADS[1];
  const own = {
    labelSelector: {
      matchLabels: {
        'app.kubernetes.io/name': 'vector',
        'app.kubernetes.io/instance': 'vector-aggregator',
        'app.kubernetes.io/component': 'aggregator',
      },
    },
    topologyKey: 'kubernetes.io/hostname',
  };

  it('keeps the required term first and adds the user terms after it', () => {
    const extra = { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'noisy' } } };
    const { template } = synthPod(aggregator, {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [extra],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: extra }],
        },
      },
    });
    expect((template.spec.affinity as Record<string, unknown>).podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [own, extra],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: extra }],
    });
  });

  it('keeps the required term when only node affinity is given', () => {
    const { template } = synthPod(aggregator, {
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
    });
    expect((template.spec.affinity as Record<string, unknown>).podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [own],
    });
  });

  it('refuses a hostPath volume: its namespace is Pod Security restricted', () => {
    expect(error(aggregator, { volumes: [{ name: 'host', hostPath: { path: '/var/log' } }] })).toBe(
      'test/w: invalid pod.volumes[0] "host (hostPath)": the workload runs at Pod Security "restricted", which allows ' +
        'only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret volumes; ' +
        'the namespace would refuse the pod',
    );
  });
});

describe('pod on VectorAgent', () => {
  const agent = WORKLOADS[0];

  it('tolerates every taint by default, and pod.tolerations replace that', () => {
    expect(synthPod(agent).template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(synthPod(agent, { tolerations: [] }).template.spec.tolerations).toBeUndefined();
  });

  it('takes a hostPath volume: its namespace is privileged', () => {
    const { template, container } = synthPod(agent, {
      volumes: [{ name: 'node-extra', hostPath: { path: '/var/lib/node-extra', type: 'Directory' } }],
      volumeMounts: [{ name: 'node-extra', mountPath: '/var/lib/node-extra', readOnly: true }],
    });
    expect((template.spec.volumes as unknown[]).at(-1)).toEqual({
      name: 'node-extra',
      hostPath: { path: '/var/lib/node-extra', type: 'Directory' },
    });
    expect(container.volumeMounts?.at(-1)).toEqual({
      name: 'node-extra',
      mountPath: '/var/lib/node-extra',
      readOnly: true,
    });
  });

  it('refuses priorityClassName given twice', () => {
    expect(
      thrownMessage(
        () =>
          new VectorAgent(Testing.chart(), 'w', {
            cluster: { name: 'dev', environment: 'development', region: 'fsn1' },
            aggregator: false,
            remoteWrite: false,
            priorityClassName: 'a',
            pod: { priorityClassName: 'b' },
          }),
      ),
    ).toBe('test/w: invalid pod.priorityClassName "b": priorityClassName is given too ("a"): give one of them');
  });
});

describe('pod: every bad input names the construct path, the field, the value and what is allowed', () => {
  const hb = WORKLOADS[3];
  const cases: readonly [string, PodOverrides, string][] = [
    [
      'a nodeSelector label key',
      { nodeSelector: { 'bad key': 'x' } },
      'pod.nodeSelector {"bad key":"x"}: key "bad key": must be a Kubernetes label key',
    ],
    [
      'a nodeSelector label value',
      { nodeSelector: { zone: 'a b' } },
      'pod.nodeSelector {"zone":"a b"}: value of "zone": must be a Kubernetes label value',
    ],
    [
      'a toleration operator',
      { tolerations: [{ key: 'k', operator: 'Equals' as 'Equal' }] },
      'pod.tolerations[0].operator "Equals": use one of "Equal", "Exists"',
    ],
    [
      'a toleration effect',
      { tolerations: [{ key: 'k', effect: 'NoScheduling' as 'NoSchedule' }] },
      'pod.tolerations[0].effect "NoScheduling": use one of "NoSchedule", "PreferNoSchedule", "NoExecute", or leave it out for all',
    ],
    [
      'a toleration value with Exists',
      { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] },
      'pod.tolerations[0].value "v": must be empty with operator "Exists"',
    ],
    [
      'a toleration without key that is not Exists',
      { tolerations: [{ value: 'v' }] },
      'pod.tolerations[0].operator (missing): must be "Exists" when key is empty',
    ],
    [
      'tolerationSeconds without NoExecute',
      { tolerations: [{ key: 'k', operator: 'Exists', tolerationSeconds: 30 }] },
      'pod.tolerations[0].tolerationSeconds 30: applies to effect "NoExecute" only: set effect: NoExecute',
    ],
    [
      'maxSkew 0',
      { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] },
      'pod.topologySpreadConstraints[0].maxSkew 0: use a whole number of at least 1',
    ],
    [
      'a whenUnsatisfiable value',
      {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Never' as 'DoNotSchedule' }],
      },
      'pod.topologySpreadConstraints[0].whenUnsatisfiable "Never": use one of "DoNotSchedule", "ScheduleAnyway"',
    ],
    [
      'minDomains with ScheduleAnyway',
      {
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 },
        ],
      },
      'pod.topologySpreadConstraints[0].minDomains 2: applies with whenUnsatisfiable "DoNotSchedule" only',
    ],
    [
      'a spread topologyKey',
      { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule' }] },
      'pod.topologySpreadConstraints[0].topologyKey "": must be a node label key, e.g. "topology.kubernetes.io/zone"',
    ],
    [
      'a node affinity operator',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Is' as 'In', values: ['a'] }] }],
            },
          },
        },
      },
      'pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator "Is": use one of "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
    ],
    [
      'In without values',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In' }] }],
            },
          },
        },
      },
      'pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values (missing): give at least one value with operator "In"',
    ],
    [
      'Gt with a word',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Gt', values: ['many'] }] }],
            },
          },
        },
      },
      'pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values ["many"]: give exactly one whole number with operator "Gt"',
    ],
    [
      'a weight of 0',
      {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { topologyKey: 'zone' } }],
          },
        },
      },
      'pod.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight 0: use a whole number from 1 to 100',
    ],
    [
      'a pod affinity term without topologyKey',
      {
        affinity: {
          podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{} as { topologyKey: string }] },
        },
      },
      'pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey (missing): must be a node label key, e.g. "kubernetes.io/hostname"',
    ],
    [
      'a label selector operator',
      {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                topologyKey: 'zone',
                labelSelector: { matchExpressions: [{ key: 'app', operator: 'Gt' as 'In', values: ['1'] }] },
              },
            ],
          },
        },
      },
      'pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator "Gt": use one of "In", "NotIn", "Exists", "DoesNotExist"',
    ],
    [
      'a priorityClassName',
      { priorityClassName: 'High_Priority' },
      'pod.priorityClassName "High_Priority": must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253',
    ],
    [
      'an imagePullSecrets name',
      { imagePullSecrets: ['Registry'] },
      'pod.imagePullSecrets[0] "Registry": a Secret name must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253',
    ],
    [
      'an env name',
      { env: [{ name: '1ST', value: 'x' }] },
      'pod.env[0].name "1ST": must be an env var name: letters, digits, "_", "-" and ".", not starting with a digit ([-._a-zA-Z][-._a-zA-Z0-9]*), not "." and not starting with ".."',
    ],
    [
      'an env name starting with ".."',
      { env: [{ name: '..X', value: 'x' }] },
      'pod.env[0].name "..X": must be an env var name: letters, digits, "_", "-" and ".", not starting with a digit ([-._a-zA-Z][-._a-zA-Z0-9]*), not "." and not starting with ".."',
    ],
    [
      'an env name twice',
      {
        env: [
          { name: 'A', value: 'x' },
          { name: 'A', value: 'y' },
        ],
      },
      'pod.env[1].name "A": is listed twice',
    ],
    [
      'an envFrom with neither source',
      { envFrom: [{ prefix: 'X_' }] },
      'pod.envFrom[0] {"prefix":"X_"}: give exactly one of configMapRef and secretRef',
    ],
    [
      'an envFrom prefix',
      { envFrom: [{ secretRef: { name: 's' }, prefix: '1X' }] },
      'pod.envFrom[0].prefix "1X": must be an env var name: letters, digits, "_", "-" and ".", not starting with a digit ([-._a-zA-Z][-._a-zA-Z0-9]*), not "." and not starting with ".."',
    ],
    [
      'a volume name',
      { volumes: [{ name: 'Extra', emptyDir: {} }] },
      'pod.volumes[0].name "Extra": must be a DNS label: at most 63 lowercase letters, digits and "-"',
    ],
    [
      'a volume name twice',
      {
        volumes: [
          { name: 'x', emptyDir: {} },
          { name: 'x', emptyDir: {} },
        ],
      },
      'pod.volumes[1].name "x": is listed twice',
    ],
    [
      'a volume without a type',
      { volumes: [{ name: 'x' }] },
      'pod.volumes[0] []: give exactly one volume type, e.g. { name, configMap: { name } }',
    ],
    [
      'a mount of no volume',
      { volumeMounts: [{ name: 'nowhere', mountPath: '/x' }] },
      'pod.volumeMounts[0].name "nowhere": names no volume: use one of "script"',
    ],
    [
      'a relative mount path',
      { volumes: [{ name: 'x', emptyDir: {} }], volumeMounts: [{ name: 'x', mountPath: 'data' }] },
      'pod.volumeMounts[0].mountPath "data": must be an absolute path, e.g. "/etc/extra"',
    ],
    [
      'a pod label value',
      { labels: { team: 'a b' } },
      'pod.labels {"team":"a b"}: value of "team": must be a Kubernetes label value',
    ],
    [
      'an annotation key',
      { annotations: { 'bad key': 'x' } },
      'pod.annotations "(the annotations)": key "bad key": must be a Kubernetes label key',
    ],
    [
      'its own annotation',
      { annotations: { 'checksum/config': 'x' } },
      'pod.annotations["checksum/config"] "x": the construct sets this annotation itself',
    ],
  ];

  it.each(cases)('%s', (_what, pod, message) => {
    expect(error(hb, pod).startsWith(`test/w: invalid ${message}`)).toBe(true);
  });
});
