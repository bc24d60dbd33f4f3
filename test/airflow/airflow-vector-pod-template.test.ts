import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AIRFLOW_TASK_IDS,
  DEFAULT_AIRFLOW_BASE_SECURITY_CONTEXT,
  DEFAULT_AIRFLOW_POD_SECURITY_CONTEXT,
  HELM_VALUES_KEY,
  POD_TEMPLATE_FILE_KEY,
} from '../../lib/airflow';
import { LOKI_TOKEN_DIR, TASK_ENV } from '../../lib/airflow/airflow-task-pipeline';
import {
  CAPTURE_CONFIG_DIR,
  CAPTURE_DIR,
  CAPTURE_ENV,
  SIDECAR_SCRIPT_FILE,
  WRAPPER_SCRIPT_FILE,
} from '../../lib/airflow/capture-scripts';
import { escapeHelmTemplate, HELM_POD_TEMPLATE_VALUE, helmChartFullname } from '../../lib/airflow/helm-values';
import { VECTOR_VERSION } from '../../lib/vector';
import { expectValidChart, validateManifests } from '../helpers/k8s-schema';
import { expectAcceptedByVectorReference } from '../helpers/vector-reference';
import {
  AIRFLOW_IMAGE,
  type Container,
  constructionError,
  downwardApiEnv,
  expectRecordedConfigsAccepted,
  LOKI_URL,
  newTemplate,
  plainEnv,
  synthTemplate,
  TEMPLATE_PATH,
} from './airflow-fixtures';
import { restrictedViolations } from './pod-security-restricted';

/** The sidecar's container security context: restricted, as nobody, whatever the task pod's own context is. */
const SIDECAR_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  seccompProfile: { type: 'RuntimeDefault' },
};

afterAll(() => expectRecordedConfigsAccepted());

const MODES = ['container', 'native'] as const;
const mountsOf = (c: Container) => Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.mountPath, m]));

describe('AirflowVectorPodTemplate objects', () => {
  it('emits two ConfigMaps and no Pod: Airflow creates one pod per task from the file', () => {
    const { manifests } = synthTemplate();
    expect(manifests.map((m) => `${m.kind}/${m.metadata?.namespace}/${m.metadata?.name}`)).toEqual([
      'ConfigMap/airflow/airflow-vector-capture',
      'ConfigMap/airflow/airflow-vector-capture-pod-template',
    ]);
  });

  it.each(MODES)('%s mode: every object passes the Kubernetes 1.28 schemas', (sidecarMode) => {
    expectValidChart(newTemplate({ sidecarMode }).chart);
  });

  it('synthesizes byte-identical output twice', () => {
    expect(synthTemplate().yaml).toBe(synthTemplate().yaml);
  });
});

describe('the pod template (requirements 1 and 6)', () => {
  it.each(MODES)('%s mode: pod_template_file.yaml is a valid v1 Pod, base first, restartPolicy Never', (mode) => {
    const { podTemplateText, pod, spec } = synthTemplate({ sidecarMode: mode });
    const parsed = parse(podTemplateText) as unknown;
    expect(validateManifests([parsed])).toEqual([]);
    expect([pod.apiVersion, pod.kind]).toEqual(['v1', 'Pod']);
    expect(spec.containers[0].name).toBe('base');
    expect(spec.containers[0].image).toBe(AIRFLOW_IMAGE);
    expect(spec.restartPolicy).toBe('Never');
  });

  it.each(MODES)(
    '%s mode: nothing emitted reads /proc/1/fd (it is the sidecar itself, or the pause container)',
    (mode) => {
      const { template, manifests, podTemplateText, helmValuesText } = synthTemplate({ sidecarMode: mode });
      const everything = JSON.stringify([manifests, podTemplateText, helmValuesText, template.pipeline.render()]);
      expect(everything).not.toContain('/proc/1/fd');
      expect(everything).not.toMatch(/\/proc\/(1|self)\/fd/);
      expect(everything).not.toContain('shareProcessNamespace');
    },
  );

  it('container mode: the sidecar is the second container, after base; no init containers', () => {
    const { spec } = synthTemplate();
    expect(spec.containers.map((c) => c.name)).toEqual(['base', 'vector']);
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers[1].restartPolicy).toBeUndefined();
  });

  it('native mode: the sidecar is an init container with restartPolicy Always; base is the only container', () => {
    const { spec, template } = synthTemplate({ sidecarMode: 'native' });
    expect(template.sidecarMode).toBe('native');
    expect(spec.containers.map((c) => c.name)).toEqual(['base']);
    expect(spec.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([['vector', 'Always']]);
  });

  it('base runs the wrapper from the scripts ConfigMap in front of the image entrypoint, and leaves args to Airflow', () => {
    const { base, spec, config } = synthTemplate();
    expect(base.command).toEqual([
      '/bin/sh',
      `${CAPTURE_CONFIG_DIR}/${WRAPPER_SCRIPT_FILE}`,
      '/usr/bin/dumb-init',
      '--',
      '/entrypoint',
    ]);
    // Airflow's pod_generator sets `args` of the base container and keeps the template's `command`.
    expect(base.args).toBeUndefined();
    const configVolume = spec.volumes?.find((v) => v.configMap);
    expect(configVolume?.configMap?.name).toBe(config.metadata?.name);
    expect(mountsOf(base)[CAPTURE_CONFIG_DIR]).toEqual({
      name: configVolume?.name,
      mountPath: CAPTURE_CONFIG_DIR,
      readOnly: true,
    });
    expect(Object.keys(config.data ?? {}).sort()).toEqual(
      [WRAPPER_SCRIPT_FILE, SIDECAR_SCRIPT_FILE, 'vector.yaml'].sort(),
    );
  });

  it.each(MODES)('%s mode: both containers mount the same emptyDir at the directory the scripts are told', (mode) => {
    const { base, sidecar, spec } = synthTemplate({ sidecarMode: mode });
    const shared = spec.volumes?.find((v) => v.emptyDir);
    expect(shared?.emptyDir).toEqual({ medium: 'Memory', sizeLimit: '1Mi' });
    for (const c of [base, sidecar]) {
      expect(mountsOf(c)[CAPTURE_DIR]?.name, c.name).toBe(shared?.name);
      expect(mountsOf(c)[CAPTURE_DIR]?.readOnly, c.name).toBeUndefined();
      expect(plainEnv(c)[CAPTURE_ENV.dir], c.name).toBe(CAPTURE_DIR);
    }
    expect(plainEnv(sidecar)[CAPTURE_ENV.sidecarMode]).toBe(mode);
  });

  it("the sidecar runs its script with the Vector command line, Vector's config from the same ConfigMap", () => {
    const { sidecar, config } = synthTemplate();
    expect(sidecar.command).toEqual(['/bin/sh', `${CAPTURE_CONFIG_DIR}/${SIDECAR_SCRIPT_FILE}`]);
    expect(sidecar.args).toEqual(['vector', '--config', `${CAPTURE_CONFIG_DIR}/vector.yaml`]);
    expect(mountsOf(sidecar)[CAPTURE_CONFIG_DIR]?.readOnly).toBe(true);
    expect(config.data?.['vector.yaml']).toContain('type: stdin');
  });

  it("terminationGracePeriodSeconds is above Vector's 60 s shutdown limit", () => {
    expect(synthTemplate().spec.terminationGracePeriodSeconds).toBe(90);
  });

  it('the pod template carries a checksum of the scripts and Vector config it mounts', () => {
    const before = synthTemplate().pod.metadata?.annotations?.['checksum/config'];
    const after = synthTemplate({}, (t) =>
      t.pipeline.addSink('debug', { type: 'blackhole', inputs: [AIRFLOW_TASK_IDS.taskFields] }),
    ).pod.metadata?.annotations?.['checksum/config'];
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it("the pod's metadata.name is a placeholder Airflow replaces; no labels unless asked", () => {
    const { pod } = synthTemplate();
    expect(pod.metadata?.name).toBe('placeholder-name');
    expect(pod.metadata?.labels).toBeUndefined();
  });
});

describe('metadata (requirement 3)', () => {
  it('the sidecar gets dag_id, task_id, run_id, try_number, map_index from the annotations Airflow sets, and the namespace', () => {
    expect(downwardApiEnv(synthTemplate().sidecar)).toEqual({
      [TASK_ENV.dagId]: "metadata.annotations['dag_id']",
      [TASK_ENV.taskId]: "metadata.annotations['task_id']",
      [TASK_ENV.runId]: "metadata.annotations['run_id']",
      [TASK_ENV.tryNumber]: "metadata.annotations['try_number']",
      [TASK_ENV.mapIndex]: "metadata.annotations['map_index']",
      [TASK_ENV.namespace]: 'metadata.namespace',
    });
  });

  it('the remap reads those variables at run time with get_env_var and bakes the cluster in', () => {
    const remap = synthTemplate().vectorConfig.transforms?.[AIRFLOW_TASK_IDS.taskFields];
    expect(remap?.type).toBe('remap');
    expect(remap?.inputs).toEqual([AIRFLOW_TASK_IDS.taskOutput]);
    const vrl = String(remap?.source);
    for (const [field, variable] of [
      ['dag_id', TASK_ENV.dagId],
      ['task_id', TASK_ENV.taskId],
      ['run_id', TASK_ENV.runId],
      ['try_number', TASK_ENV.tryNumber],
      ['namespace', TASK_ENV.namespace],
    ]) {
      expect(vrl).toContain(`.${field} = get_env_var("${variable}") ?? ""`);
    }
    expect(vrl).toContain(`map_index = get_env_var("${TASK_ENV.mapIndex}") ?? ""`);
    expect(vrl).toContain('.cluster = "dev"');
    expect(vrl).toContain('.environment = "development"');
    expect(vrl).toContain('.region = "fsn1"');
    // The stream tag the sidecar's awk writes, split off again.
    expect(vrl).toContain('split(string!(.message), "\\t", limit: 2)');
    expect(vrl).toContain('.stream = parts[0]');
  });

  it('no ${VAR} in the config: Vector 0.57 would not interpolate it', () => {
    expect(synthTemplate().vectorConfigText).not.toContain('${');
  });

  it('Loki labels are dag_id, cluster and namespace; task_id, run_id and try_number are structured metadata; unconfined on purpose; batches wait at most 0.5 s', () => {
    const { vectorConfig, vectorConfigText } = synthTemplate();
    const loki = vectorConfig.sinks?.[AIRFLOW_TASK_IDS.loki];
    expect(loki).toMatchObject({
      type: 'loki',
      inputs: [AIRFLOW_TASK_IDS.taskFields],
      endpoint: LOKI_URL,
      encoding: { codec: 'json' },
      labels: { cluster: 'dev', namespace: '{{ namespace }}', dag_id: '{{ dag_id }}' },
      structured_metadata: { task_id: '{{ task_id }}', run_id: '{{ run_id }}', try_number: '{{ try_number }}' },
      dangerously_allow_unconfined_template_resolution: true,
      batch: { timeout_secs: 0.5 },
      healthcheck: { enabled: false },
    });
    expect(Object.keys(loki?.labels as object).sort()).toEqual(['cluster', 'dag_id', 'namespace']);
    expect(Object.keys(loki?.structured_metadata as object).sort()).toEqual(['run_id', 'task_id', 'try_number']);
    expect(vectorConfigText).toMatch(/# Values are whole-field templates/);
    expect(vectorConfigText).toContain('{dag_id="d"} | task_id="t"');
  });

  it('stdin source, data_dir on the shared emptyDir, no API (a batch sidecar is never probed)', () => {
    const { vectorConfig, sidecar } = synthTemplate();
    expect(vectorConfig.sources).toEqual({ [AIRFLOW_TASK_IDS.taskOutput]: { type: 'stdin' } });
    expect(vectorConfig.data_dir).toBe(CAPTURE_DIR);
    expect(vectorConfig.api).toBeUndefined();
    expect(sidecar.ports).toBeUndefined();
    expect(sidecar.livenessProbe ?? sidecar.readinessProbe ?? sidecar.startupProbe).toBeUndefined();
  });
});

describe('sidecar resources and security (requirement 4)', () => {
  it.each(MODES)('%s mode: requests 5m / 20Mi, limits 25m / 50Mi, restricted security context', (mode) => {
    const { sidecar } = synthTemplate({ sidecarMode: mode });
    expect(sidecar.resources).toEqual({
      requests: { cpu: '5m', memory: '20Mi' },
      limits: { cpu: '25m', memory: '50Mi' },
    });
    expect(sidecar.securityContext).toEqual(SIDECAR_SECURITY_CONTEXT);
  });

  it('the sidecar image is pinned to the Vector version of the model, in its alpine variant (it needs a shell)', () => {
    const { sidecar } = synthTemplate();
    expect(sidecar.image).toBe(`timberio/vector:${VECTOR_VERSION}-alpine`);
    expect(sidecar.imagePullPolicy).toBe('IfNotPresent');
  });
});

describe('outputs (requirement 5)', () => {
  it('the pod template ConfigMap holds pod_template_file.yaml and the Helm values fragment', () => {
    const { podTemplateConfig, template, podTemplateText, helmValuesText } = synthTemplate();
    expect(Object.keys(podTemplateConfig.data ?? {}).sort()).toEqual([POD_TEMPLATE_FILE_KEY, HELM_VALUES_KEY].sort());
    expect(template.podTemplateYaml()).toBe(podTemplateText);
    expect(template.helmValuesYaml()).toBe(helmValuesText);
  });

  it("the Helm values set the official chart's podTemplate to the pod template file", () => {
    const { helmValuesText, podTemplateText } = synthTemplate();
    const values = parse(helmValuesText) as Record<string, unknown>;
    expect(Object.keys(values)).toEqual([HELM_POD_TEMPLATE_VALUE]);
    expect(values.podTemplate).toBe(podTemplateText);
  });

  it('"{{" is escaped for the tpl the chart runs over podTemplate, and left alone in the file', () => {
    const env = [{ name: 'GREETING', value: 'hello {{ name }}' }];
    const { helmValuesText, podTemplateText } = synthTemplate({ baseEnv: env });
    expect(podTemplateText).toContain('hello {{ name }}');
    const podTemplate = (parse(helmValuesText) as { podTemplate: string }).podTemplate;
    expect(podTemplate).toContain('hello {{ "{{" }} name }}');
    expect(podTemplate).toBe(escapeHelmTemplate(podTemplateText));
    expect(escapeHelmTemplate('a {{ b }} {{c}}')).toBe('a {{ "{{" }} b }} {{ "{{" }}c}}');
  });

  it('both are in the manifests app.synth() writes (here a Testing.app() temporary folder)', () => {
    const { app } = newTemplate();
    app.synth();
    const files = readdirSync(app.outdir).filter((f) => f.endsWith('.yaml'));
    const written = files.map((f) => readFileSync(join(app.outdir, f), 'utf8')).join('\n');
    expect(written).toContain(`${POD_TEMPLATE_FILE_KEY}: |`);
    expect(written).toContain(`${HELM_VALUES_KEY}: |`);
    expect(written).toContain('kind: Pod');
  });

  it('components added to the pipeline after construction are rendered, and a broken one fails the synth', () => {
    const { vectorConfig } = synthTemplate({}, (t) =>
      t.pipeline.addSink('debug', {
        type: 'console',
        inputs: [AIRFLOW_TASK_IDS.taskFields],
        encoding: { codec: 'json' },
      }),
    );
    expect(vectorConfig.sinks?.debug).toMatchObject({ type: 'console', inputs: [AIRFLOW_TASK_IDS.taskFields] });
    const { app, template } = newTemplate();
    template.pipeline.addSink('broken', { type: 'console', inputs: ['nowhere'], encoding: { codec: 'json' } });
    expect(() => app.synth()).toThrow(/sinks\.broken/);
  });

  it('a source that never ends fails the synth: Vector would not stop at the end of the task, nor the pod', () => {
    const { app, template } = newTemplate();
    template.pipeline
      .addSource('own_metrics', { type: 'internal_metrics' })
      .addSink('metrics_out', { type: 'blackhole', inputs: ['own_metrics'] });
    expect(() => app.synth()).toThrow(
      "sources.own_metrics: a source of type internal_metrics never ends, so the sidecar's Vector would not stop when the task does: read task_fields instead",
    );
  });
});

describe('Pod Security "restricted" (requirement 4)', () => {
  it("the pod runs as the official image's airflow user (50000, group 0 for volumes), non-root, seccomp RuntimeDefault", () => {
    expect(synthTemplate().spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 50000,
      fsGroup: 0,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it.each(MODES)(
    '%s mode: base escalates no privilege and drops every capability; the sidecar stays restricted',
    (mode) => {
      const { base, sidecar } = synthTemplate({ sidecarMode: mode });
      expect(base.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(sidecar.securityContext).toEqual(SIDECAR_SECURITY_CONTEXT);
    },
  );

  it.each(MODES)(
    '%s mode: the whole Pod passes the "restricted" check, with Loki authentication and helm too',
    (mode) => {
      for (const props of [
        { sidecarMode: mode },
        {
          sidecarMode: mode,
          loki: { endpoint: LOKI_URL, bearerTokenSecret: { name: 'loki', key: 'token' } },
          helm: { releaseName: 'airflow', logsClaimName: 'airflow-logs', dagsClaimName: 'airflow-dags' },
        },
      ]) {
        expect(restrictedViolations(synthTemplate(props).pod), JSON.stringify(props)).toEqual([]);
      }
    },
  );

  it('the check refuses what a restricted namespace refuses: no security contexts, a hostPath volume, host networking', () => {
    const { pod, spec } = synthTemplate({ volumes: [{ name: 'host-logs', hostPath: { path: '/var/log' } }] });
    expect(restrictedViolations(pod)).toEqual(['spec.volumes[2] (host-logs): volume type hostPath is not allowed']);
    const bare = {
      ...pod,
      spec: {
        ...spec,
        hostNetwork: true,
        securityContext: undefined,
        containers: spec.containers.map((c) => ({ ...c, securityContext: undefined })),
        volumes: [],
      },
    };
    expect(restrictedViolations(bare)).toEqual([
      'spec.hostNetwork: must be unset or false',
      ...['spec.containers[0]', 'spec.containers[1]'].flatMap((path) => [
        `${path}.securityContext.allowPrivilegeEscalation: must be false`,
        `${path}.securityContext.capabilities.drop: must include ALL`,
        `${path}: runAsNonRoot must be true, on the pod or on the container`,
        `${path}: seccompProfile.type must be RuntimeDefault or Localhost, on the pod or on the container`,
      ]),
    ]);
  });

  it('podSecurityContext and baseSecurityContext replace the defaults as a whole; the sidecar keeps its own', () => {
    const podSecurityContext = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } };
    const baseSecurityContext = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    };
    const { spec, base, sidecar, pod } = synthTemplate({ podSecurityContext, baseSecurityContext });
    expect(spec.securityContext).toEqual(podSecurityContext);
    expect(base.securityContext).toEqual(baseSecurityContext);
    expect(sidecar.securityContext?.runAsUser).toBe(65534);
    expect(restrictedViolations(pod)).toEqual([]);
    // The exported defaults are what an unset prop gives, and a template does not change them.
    expect(synthTemplate().spec.securityContext).toEqual(DEFAULT_AIRFLOW_POD_SECURITY_CONTEXT);
    expect(synthTemplate().base.securityContext).toEqual(DEFAULT_AIRFLOW_BASE_SECURITY_CONTEXT);
  });

  it('a podSecurityContext that is not restricted is used as given, and the check says why it would be refused', () => {
    const { pod } = synthTemplate({ podSecurityContext: { runAsUser: 0 } });
    expect(restrictedViolations(pod)).toEqual([
      'spec.securityContext.runAsUser: must not be 0',
      'spec.containers[0]: runAsNonRoot must be true, on the pod or on the container',
      'spec.containers[0]: seccompProfile.type must be RuntimeDefault or Localhost, on the pod or on the container',
    ]);
  });
});

describe("helm: what the chart's own pod template gives task pods", () => {
  const secretEnv = (release: string) => [
    { name: 'AIRFLOW__CORE__EXECUTOR', value: 'LocalExecutor' },
    {
      name: 'AIRFLOW__CORE__FERNET_KEY',
      valueFrom: { secretKeyRef: { name: `${release}-fernet-key`, key: 'fernet-key' } },
    },
    {
      name: 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
      valueFrom: { secretKeyRef: { name: `${release}-airflow-metadata`, key: 'connection' } },
    },
    {
      name: 'AIRFLOW_CONN_AIRFLOW_DB',
      valueFrom: { secretKeyRef: { name: `${release}-airflow-metadata`, key: 'connection' } },
    },
  ];

  it('none of it without helm: no ServiceAccount, no chart volumes or Secrets', () => {
    const { spec, base } = synthTemplate();
    expect(spec.serviceAccountName).toBeUndefined();
    expect(spec.volumes?.map((v) => v.name)).toEqual(['vector-capture', 'vector-capture-config']);
    expect(base.env?.map((e) => e.name)).toEqual([CAPTURE_ENV.dir, CAPTURE_ENV.timeoutSeconds]);
  });

  it('releaseName "airflow": the airflow-worker ServiceAccount, airflow.cfg, a logs emptyDir, the DB and Fernet Secrets', () => {
    const { pod, spec, base, sidecar } = synthTemplate({ helm: { releaseName: 'airflow' } });
    expect(spec.serviceAccountName).toBe('airflow-worker');
    // The chart's task-pod labels, which its own NetworkPolicies and dashboards select.
    expect(pod.metadata?.labels).toEqual({ tier: 'airflow', component: 'worker', release: 'airflow' });
    expect(spec.volumes?.slice(2)).toEqual([
      { name: 'config', configMap: { name: 'airflow-airflow-config' } },
      { name: 'logs', emptyDir: {} },
    ]);
    expect(base.volumeMounts?.slice(2)).toEqual([
      { name: 'logs', mountPath: '/opt/airflow/logs' },
      { name: 'config', mountPath: '/opt/airflow/airflow.cfg', subPath: 'airflow.cfg', readOnly: true },
    ]);
    expect(base.env?.slice(2)).toEqual(secretEnv('airflow'));
    // The sidecar sees none of it.
    expect(sidecar.volumeMounts?.map((m) => m.name)).toEqual(['vector-capture', 'vector-capture-config']);
    expect(JSON.stringify(sidecar.env)).not.toContain('secretKeyRef');
  });

  it('a release name without "airflow" gets the chart\'s <release>-airflow-worker ServiceAccount', () => {
    expect(helmChartFullname('prod')).toBe('prod-airflow');
    expect(helmChartFullname('my-airflow')).toBe('my-airflow');
    const { spec, base } = synthTemplate({ helm: { releaseName: 'prod' } });
    expect(spec.serviceAccountName).toBe('prod-airflow-worker');
    expect(spec.volumes?.find((v) => v.name === 'config')?.configMap?.name).toBe('prod-airflow-config');
    expect(base.env?.slice(2)).toEqual(secretEnv('prod'));
  });

  it('airflowHome, the Secret names and the logs and dags claims; serviceAccountName still wins', () => {
    const { spec, base } = synthTemplate({
      serviceAccountName: 'task-runner',
      helm: {
        releaseName: 'airflow',
        airflowHome: '/home/airflow',
        fernetKeySecretName: 'fernet',
        metadataSecretName: 'metadata',
        logsClaimName: 'airflow-logs',
        dagsClaimName: 'airflow-dags',
      },
    });
    expect(spec.serviceAccountName).toBe('task-runner');
    expect(spec.volumes?.slice(2)).toEqual([
      { name: 'config', configMap: { name: 'airflow-airflow-config' } },
      { name: 'logs', persistentVolumeClaim: { claimName: 'airflow-logs' } },
      { name: 'dags', persistentVolumeClaim: { claimName: 'airflow-dags' } },
    ]);
    expect(base.volumeMounts?.slice(2).map((m) => m.mountPath)).toEqual([
      '/home/airflow/logs',
      '/home/airflow/airflow.cfg',
      '/home/airflow/dags',
    ]);
    expect(base.env?.slice(3).map((e) => e.valueFrom?.secretKeyRef?.name)).toEqual(['fernet', 'metadata', 'metadata']);
  });

  it('the values fragment says the scripts ConfigMap is needed and the pod template ConfigMap is not', () => {
    const { helmValuesText } = synthTemplate({ helm: { releaseName: 'airflow' } });
    expect(helmValuesText).toContain("airflow-vector-capture (scripts and Vector config) must exist in the release's");
    expect(helmValuesText).toContain('so airflow-vector-capture-pod-template is not needed there.');
  });
});

describe('the Vector config (requirement 8)', () => {
  it('passes the shared validator: both modes, with and without Loki authentication', () => {
    const yaml = (props: Parameters<typeof synthTemplate>[0]) => synthTemplate(props).yaml;
    expectAcceptedByVectorReference({
      'container.k8s.yaml': yaml({}),
      'native.k8s.yaml': yaml({ sidecarMode: 'native' }),
      'auth.k8s.yaml': yaml({
        loki: {
          endpoint: LOKI_URL,
          tenantId: 'airflow',
          bearerTokenSecret: { name: 'loki-token', key: 'token' },
          bufferEvents: 500,
          whenFull: 'block',
        },
      }),
    });
  });
});

describe('AirflowVectorPodTemplate props and their defaults', () => {
  it('namespace: airflow by default; both ConfigMaps follow it', () => {
    expect(newTemplate().template.namespace).toBe('airflow');
    const { manifests, template } = synthTemplate({ namespace: 'data-pipelines' });
    expect(template.namespace).toBe('data-pipelines');
    expect(manifests.map((m) => m.metadata?.namespace)).toEqual(['data-pipelines', 'data-pipelines']);
  });

  it('name: airflow-vector-capture by default; names both ConfigMaps and the volume the pods mount', () => {
    const { template, spec } = synthTemplate({ name: 'task-logs' });
    expect([template.configMapName, template.podTemplateConfigMapName]).toEqual([
      'task-logs',
      'task-logs-pod-template',
    ]);
    expect(spec.volumes?.find((v) => v.configMap)?.configMap?.name).toBe('task-logs');
  });

  it('sidecarMode: container by default', () => {
    expect(newTemplate().template.sidecarMode).toBe('container');
  });

  it('airflowImage and vectorImage: any pinned tag or digest', () => {
    const digest = 'timberio/vector@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    const { base, sidecar } = synthTemplate({
      airflowImage: 'registry.example.com:5000/airflow:2.9.3-py3.11',
      vectorImage: digest,
    });
    expect([base.image, sidecar.image]).toEqual(['registry.example.com:5000/airflow:2.9.3-py3.11', digest]);
  });

  it('sidecarResources: overridable', () => {
    const resources = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '128Mi' } };
    expect(synthTemplate({ sidecarResources: resources }).sidecar.resources).toEqual(resources);
  });

  it('baseResources: none by default (a task sets its own through executor_config); set when given', () => {
    expect(synthTemplate().base.resources).toBeUndefined();
    const resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } };
    expect(synthTemplate({ baseResources: resources }).base.resources).toEqual(resources);
  });

  it('taskEntrypoint: replaces what the wrapper runs the task under; [] runs the task command directly', () => {
    expect(synthTemplate({ taskEntrypoint: [] }).base.command).toEqual(['/bin/sh', '/opt/vector-capture/capture.sh']);
    expect(synthTemplate({ taskEntrypoint: ['/usr/bin/tini', '--'] }).base.command?.slice(2)).toEqual([
      '/usr/bin/tini',
      '--',
    ]);
  });

  it('captureTimeoutSeconds: 30 by default, given to both scripts', () => {
    for (const [props, expected] of [
      [{}, '30'],
      [{ captureTimeoutSeconds: 5 }, '5'],
    ] as const) {
      const { base, sidecar } = synthTemplate(props);
      expect([plainEnv(base), plainEnv(sidecar)].map((e) => e[CAPTURE_ENV.timeoutSeconds])).toEqual([
        expected,
        expected,
      ]);
    }
  });

  it('terminationGracePeriodSeconds: overridable above 60', () => {
    expect(synthTemplate({ terminationGracePeriodSeconds: 61 }).spec.terminationGracePeriodSeconds).toBe(61);
  });

  it('serviceAccountName: none by default', () => {
    expect(synthTemplate().spec.serviceAccountName).toBeUndefined();
    expect(synthTemplate({ serviceAccountName: 'airflow-worker' }).spec.serviceAccountName).toBe('airflow-worker');
  });

  it('baseEnv, baseVolumeMounts and volumes: added after the capture ones', () => {
    const { base, spec, sidecar } = synthTemplate({
      baseEnv: [{ name: 'AIRFLOW__CORE__LOAD_EXAMPLES', value: 'False' }],
      baseVolumeMounts: [{ name: 'dags', mountPath: '/opt/airflow/dags', readOnly: true }],
      volumes: [{ name: 'dags', persistentVolumeClaim: { claimName: 'airflow-dags' } }],
    });
    expect(base.env?.map((e) => e.name)).toEqual([
      CAPTURE_ENV.dir,
      CAPTURE_ENV.timeoutSeconds,
      'AIRFLOW__CORE__LOAD_EXAMPLES',
    ]);
    expect(base.volumeMounts?.map((m) => m.mountPath)).toEqual([CAPTURE_DIR, CAPTURE_CONFIG_DIR, '/opt/airflow/dags']);
    expect(spec.volumes?.map((v) => v.name)).toEqual(['vector-capture', 'vector-capture-config', 'dags']);
    expect(sidecar.volumeMounts?.map((m) => m.name)).not.toContain('dags');
  });

  it("baseEnv may set POD_NAMESPACE: the sidecar's variable of that name is its own", () => {
    const { base, sidecar } = synthTemplate({
      baseEnv: [{ name: TASK_ENV.namespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
    });
    expect(downwardApiEnv(base)).toEqual({ [TASK_ENV.namespace]: 'metadata.namespace' });
    expect(downwardApiEnv(sidecar)[TASK_ENV.namespace]).toBe('metadata.namespace');
  });

  it('vectorImage: the default is the alpine variant (busybox sh and awk) of the pinned Vector version', () => {
    expect(VECTOR_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(synthTemplate().sidecar.image).toBe(`timberio/vector:${VECTOR_VERSION}-alpine`);
    expect(synthTemplate({ vectorImage: 'timberio/vector:0.57.0-debian' }).sidecar.image).toBe(
      'timberio/vector:0.57.0-debian',
    );
  });

  it('excludeFromNodeAgent: false by default; true labels the pods vector.dev/exclude', () => {
    expect(synthTemplate({ excludeFromNodeAgent: true }).pod.metadata?.labels).toEqual({
      'vector.dev/exclude': 'true',
    });
  });

  it('loki.tenantId and loki.bearerTokenSecret: a tenant header, and the token from the Secret via a secret backend', () => {
    const plain = synthTemplate();
    expect(plain.vectorConfig.secret).toBeUndefined();
    expect(plain.vectorConfig.sinks?.loki.auth).toBeUndefined();
    expect(plain.vectorConfig.sinks?.loki.tenant_id).toBeUndefined();
    expect(plain.spec.volumes?.some((v) => v.secret)).toBe(false);

    const { vectorConfig, spec, sidecar, base } = synthTemplate({
      loki: { endpoint: LOKI_URL, tenantId: 'airflow', bearerTokenSecret: { name: 'loki-token', key: 'bearer' } },
    });
    expect(vectorConfig.sinks?.loki).toMatchObject({
      tenant_id: 'airflow',
      auth: { strategy: 'bearer', token: 'SECRET[loki.token]' },
    });
    expect(vectorConfig.secret?.loki).toEqual({
      type: 'directory',
      path: LOKI_TOKEN_DIR,
      remove_trailing_whitespace: true,
    });
    const volume = spec.volumes?.find((v) => v.secret);
    expect(volume?.secret).toEqual({ secretName: 'loki-token', items: [{ key: 'bearer', path: 'token' }] });
    expect(mountsOf(sidecar)[LOKI_TOKEN_DIR]).toEqual({
      name: volume?.name,
      mountPath: LOKI_TOKEN_DIR,
      readOnly: true,
    });
    // The task container never sees the token.
    expect(mountsOf(base)[LOKI_TOKEN_DIR]).toBeUndefined();
  });

  it('loki.bufferEvents and loki.whenFull: a 10000-event memory buffer that drops rather than stalls, by default', () => {
    expect(synthTemplate().vectorConfig.sinks?.loki.buffer).toEqual({
      type: 'memory',
      max_events: 10000,
      when_full: 'drop_newest',
    });
    const custom = synthTemplate({ loki: { endpoint: LOKI_URL, bufferEvents: 2000, whenFull: 'block' } });
    expect(custom.vectorConfig.sinks?.loki.buffer).toEqual({ type: 'memory', max_events: 2000, when_full: 'block' });
  });

  it('cluster: name, environment and region are baked into every event; the name is the cluster label', () => {
    const { vectorConfig } = synthTemplate({ cluster: { name: 'prod-eu', environment: 'production', region: 'nbg1' } });
    const vrl = String(vectorConfig.transforms?.[AIRFLOW_TASK_IDS.taskFields].source);
    expect(vrl).toContain('.cluster = "prod-eu"');
    expect(vrl).toContain('.environment = "production"');
    expect(vrl).toContain('.region = "nbg1"');
    expect((vectorConfig.sinks?.loki.labels as Record<string, string>).cluster).toBe('prod-eu');
  });
});

type BadProps = [Readonly<Record<string, unknown>>, string];

describe('bad props fail with the construct path, the prop, the value and what is allowed', () => {
  const loki = { endpoint: LOKI_URL };
  it.each<BadProps>([
    [
      { airflowImage: 'apache/airflow' },
      `${TEMPLATE_PATH}: invalid airflowImage "apache/airflow": pin the image to an exact version tag or digest, e.g. "apache/airflow:2.10.5"`,
    ],
    [
      { airflowImage: 'apache/airflow:latest' },
      `${TEMPLATE_PATH}: invalid airflowImage "apache/airflow:latest": pin the image to an exact version tag or digest, e.g. "apache/airflow:2.10.5"`,
    ],
    [
      { airflowImage: undefined },
      `${TEMPLATE_PATH}: invalid airflowImage (missing): pin the image to an exact version tag or digest, e.g. "apache/airflow:2.10.5"`,
    ],
    [
      { vectorImage: 'timberio/vector' },
      `${TEMPLATE_PATH}: invalid vectorImage "timberio/vector": pin the image to an exact version tag or digest, e.g. "timberio/vector:${VECTOR_VERSION}-alpine"`,
    ],
    [
      { vectorImage: 'timberio/vector:0.57.0-distroless-libc' },
      `${TEMPLATE_PATH}: invalid vectorImage "timberio/vector:0.57.0-distroless-libc": the sidecar runs /bin/sh and awk, which the distroless images lack: use the -alpine (or -debian) variant, e.g. "timberio/vector:0.57.0-alpine"`,
    ],
    [
      { vectorImage: 'registry.example.com:5000/timberio/vector:0.56.1-distroless-static' },
      `${TEMPLATE_PATH}: invalid vectorImage "registry.example.com:5000/timberio/vector:0.56.1-distroless-static": the sidecar runs /bin/sh and awk, which the distroless images lack: use the -alpine (or -debian) variant, e.g. "registry.example.com:5000/timberio/vector:0.56.1-alpine"`,
    ],
    [
      { cluster: undefined },
      `${TEMPLATE_PATH}: invalid cluster (missing): give the cluster the tasks run in: { name: "dev", environment: "development", region: "fsn1" }`,
    ],
    [
      { cluster: 'dev' },
      `${TEMPLATE_PATH}: invalid cluster "dev": give the cluster the tasks run in: { name: "dev", environment: "development", region: "fsn1" }`,
    ],
    [
      { cluster: { name: 'dev cluster', environment: 'development', region: 'fsn1' } },
      `${TEMPLATE_PATH}: invalid cluster.name "dev cluster": use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    ],
    [
      { cluster: { environment: 'development', region: 'fsn1' } },
      `${TEMPLATE_PATH}: invalid cluster.name (missing): use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    ],
    [
      { loki: undefined },
      `${TEMPLATE_PATH}: invalid loki (missing): give the Loki target: { endpoint: "http://loki-gateway.monitoring.svc:80" }`,
    ],
    [
      { loki: { endpoint: 'loki:3100' } },
      `${TEMPLATE_PATH}: invalid loki.endpoint "loki:3100": use an http:// or https:// URL, e.g. "https://prometheus.example.com/api/v1/write"`,
    ],
    [{ loki: { ...loki, tenantId: ' ' } }, `${TEMPLATE_PATH}: invalid loki.tenantId " ": must not be empty`],
    [
      { loki: { ...loki, bearerTokenSecret: { name: 'Loki', key: 'token' } } },
      `${TEMPLATE_PATH}: invalid loki.bearerTokenSecret.name "Loki": use lowercase letters, digits, "-" and ".", at most 253 characters`,
    ],
    [
      { loki: { ...loki, bearerTokenSecret: { name: 'loki', key: 'a/b' } } },
      `${TEMPLATE_PATH}: invalid loki.bearerTokenSecret.key "a/b": a Secret key: letters, digits, "-", "_" and "."`,
    ],
    [
      { loki: { ...loki, bufferEvents: 0 } },
      `${TEMPLATE_PATH}: invalid loki.bufferEvents 0: use a whole number at least 1`,
    ],
    [
      { loki: { ...loki, whenFull: 'drop_oldest' } },
      `${TEMPLATE_PATH}: invalid loki.whenFull "drop_oldest": use "drop_newest" or "block"`,
    ],
    [
      { sidecarMode: 'sidecar' },
      `${TEMPLATE_PATH}: invalid sidecarMode "sidecar": use "container" (any Kubernetes) or "native" (an init container with restartPolicy Always, Kubernetes >= 1.29)`,
    ],
    [
      { namespace: 'Airflow' },
      `${TEMPLATE_PATH}: invalid namespace "Airflow": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
    ],
    [
      { name: 'task_logs' },
      `${TEMPLATE_PATH}: invalid name "task_logs": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
    ],
    [
      { cluster: { name: 'dev', environment: '', region: 'fsn1' } },
      `${TEMPLATE_PATH}: invalid cluster.environment "": use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    ],
    [
      { sidecarResources: { requests: { cpu: '50m', memory: '20Mi' }, limits: { cpu: '25m', memory: '50Mi' } } },
      `${TEMPLATE_PATH}: invalid sidecarResources.requests.cpu "50m": must not exceed limits.cpu (25m)`,
    ],
    [
      { baseResources: { requests: { cpu: '1', memory: 'lots' }, limits: { cpu: '2', memory: '4Gi' } } },
      `${TEMPLATE_PATH}: invalid baseResources.requests.memory "lots": use a memory quantity such as "128Mi" or "1Gi"`,
    ],
    [
      { taskEntrypoint: ['/usr/bin/dumb-init', ''] },
      `${TEMPLATE_PATH}: invalid taskEntrypoint[1] "": must not be empty`,
    ],
    [
      { taskEntrypoint: '/entrypoint' },
      `${TEMPLATE_PATH}: invalid taskEntrypoint "/entrypoint": a list of strings, e.g. ["/usr/bin/dumb-init", "--"]`,
    ],
    [
      { captureTimeoutSeconds: 0 },
      `${TEMPLATE_PATH}: invalid captureTimeoutSeconds 0: use a whole number from 1 to 3600`,
    ],
    [
      { captureTimeoutSeconds: 2.5 },
      `${TEMPLATE_PATH}: invalid captureTimeoutSeconds 2.5: use a whole number from 1 to 3600`,
    ],
    [
      { terminationGracePeriodSeconds: 90.5 },
      `${TEMPLATE_PATH}: invalid terminationGracePeriodSeconds 90.5: use a whole number of seconds above Vector's 60 s shutdown limit, e.g. 90`,
    ],
    [
      { terminationGracePeriodSeconds: 60 },
      `${TEMPLATE_PATH}: invalid terminationGracePeriodSeconds 60: must exceed Vector's 60 s shutdown limit, or the sidecar is killed before it flushes`,
    ],
    [
      { serviceAccountName: 'Airflow' },
      `${TEMPLATE_PATH}: invalid serviceAccountName "Airflow": use lowercase letters, digits, "-" and ".", at most 253 characters`,
    ],
    [
      {
        baseEnv: [
          { name: 'A', value: '1' },
          { name: CAPTURE_ENV.timeoutSeconds, value: '5' },
        ],
      },
      `${TEMPLATE_PATH}: invalid baseEnv[1].name "${CAPTURE_ENV.timeoutSeconds}": is set by the pod template for the capture wrapper`,
    ],
    [
      { baseEnv: [{ name: CAPTURE_ENV.dir, value: '/tmp' }] },
      `${TEMPLATE_PATH}: invalid baseEnv[0].name "${CAPTURE_ENV.dir}": is set by the pod template for the capture wrapper`,
    ],
    ...[TASK_ENV.dagId, TASK_ENV.taskId, TASK_ENV.runId, TASK_ENV.tryNumber, TASK_ENV.mapIndex].map(
      (name): BadProps => [
        { baseEnv: [{ name, value: 'x' }] },
        `${TEMPLATE_PATH}: invalid baseEnv[0].name "${name}": is the Vector sidecar's, which sets it from the annotations Airflow puts on the task pod: a value in base would not reach Loki`,
      ],
    ),
    [
      { helm: { releaseName: 'airflow' }, baseEnv: [{ name: 'AIRFLOW__CORE__FERNET_KEY', value: 'x' }] },
      `${TEMPLATE_PATH}: invalid baseEnv[0].name "AIRFLOW__CORE__FERNET_KEY": is set by helm, as the chart's own task-pod template sets it`,
    ],
    [
      { helm: { releaseName: 'airflow' }, baseEnv: [{ name: 'AIRFLOW__CORE__EXECUTOR', value: 'KubernetesExecutor' }] },
      `${TEMPLATE_PATH}: invalid baseEnv[0].name "AIRFLOW__CORE__EXECUTOR": is set by helm, as the chart's own task-pod template sets it`,
    ],
    [
      { volumes: [{ name: 'vector-capture', emptyDir: {} }] },
      `${TEMPLATE_PATH}: invalid volumes[0].name "vector-capture": is taken by the pod template: avoid vector-capture, vector-capture-config, vector-loki-token`,
    ],
    [
      { baseVolumeMounts: [{ name: 'x', mountPath: CAPTURE_DIR }] },
      `${TEMPLATE_PATH}: invalid baseVolumeMounts[0].mountPath "${CAPTURE_DIR}": is taken by the capture volumes`,
    ],
    ...['vector-loki-token', 'vector-capture', 'vector-capture-config'].map((name): BadProps => [
      { baseVolumeMounts: [{ name, mountPath: '/secrets' }] },
      `${TEMPLATE_PATH}: invalid baseVolumeMounts[0].name "${name}": is a volume of the pod template, which base already mounts or must not see: avoid vector-capture, vector-capture-config, vector-loki-token`,
    ]),
    [
      { helm: { releaseName: 'airflow' }, volumes: [{ name: 'logs', emptyDir: {} }] },
      `${TEMPLATE_PATH}: invalid volumes[0].name "logs": is taken by the pod template: avoid vector-capture, vector-capture-config, vector-loki-token, config, logs`,
    ],
    [
      { helm: { releaseName: 'airflow' }, baseVolumeMounts: [{ name: 'mine', mountPath: '/opt/airflow/logs' }] },
      `${TEMPLATE_PATH}: invalid baseVolumeMounts[0].mountPath "/opt/airflow/logs": is taken by helm, for the chart's volumes`,
    ],
    [
      { helm: 'airflow' },
      `${TEMPLATE_PATH}: invalid helm "airflow": give the chart release: { releaseName: "airflow" }`,
    ],
    [
      { helm: {} },
      `${TEMPLATE_PATH}: invalid helm.releaseName (missing): a Helm release name: at most 53 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit`,
    ],
    [
      { helm: { releaseName: 'Airflow' } },
      `${TEMPLATE_PATH}: invalid helm.releaseName "Airflow": a Helm release name: at most 53 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit`,
    ],
    [
      { helm: { releaseName: 'a'.repeat(54) } },
      `${TEMPLATE_PATH}: invalid helm.releaseName "${'a'.repeat(54)}": a Helm release name: at most 53 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit`,
    ],
    [
      { helm: { releaseName: 'airflow', airflowHome: 'opt/airflow' } },
      `${TEMPLATE_PATH}: invalid helm.airflowHome "opt/airflow": an absolute path without a trailing "/", e.g. "/opt/airflow"`,
    ],
    [
      { helm: { releaseName: 'airflow', airflowHome: '/opt/airflow/' } },
      `${TEMPLATE_PATH}: invalid helm.airflowHome "/opt/airflow/": an absolute path without a trailing "/", e.g. "/opt/airflow"`,
    ],
    [
      { helm: { releaseName: 'airflow', metadataSecretName: 'Metadata' } },
      `${TEMPLATE_PATH}: invalid helm.metadataSecretName "Metadata": use lowercase letters, digits, "-" and ".", at most 253 characters`,
    ],
    [
      { helm: { releaseName: 'airflow', dagsClaimName: 'dags_pvc' } },
      `${TEMPLATE_PATH}: invalid helm.dagsClaimName "dags_pvc": use lowercase letters, digits, "-" and ".", at most 253 characters`,
    ],
    [
      { podSecurityContext: [] },
      `${TEMPLATE_PATH}: invalid podSecurityContext []: a security context object, e.g. { runAsNonRoot: true }`,
    ],
    [
      { baseSecurityContext: 'restricted' },
      `${TEMPLATE_PATH}: invalid baseSecurityContext "restricted": a security context object, e.g. { runAsNonRoot: true }`,
    ],
  ])('%j', (props, message) => {
    expect(constructionError(props)).toBe(message);
  });
});

describe('snapshots', () => {
  it('container mode: the reviewed chart', () => {
    expect(synthTemplate().yaml).toMatchSnapshot();
  });

  it('native mode: the reviewed pod template', () => {
    expect(synthTemplate({ sidecarMode: 'native' }).podTemplateText).toMatchSnapshot();
  });
});

describe('README (requirement 9)', () => {
  const readme = readFileSync(resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## Airflow task logs (`AirflowVectorPodTemplate`)');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('has the Airflow section, ahead of the self-monitoring one', () => {
    expect(start).toBeGreaterThan(0);
    expect(readme.indexOf('## Self-monitoring (`VectorMonitoring`)')).toBeGreaterThan(start);
  });

  it('says how to wire it into Airflow, which Kubernetes each mode needs, and why /proc/1/fd fails', () => {
    for (const needed of [
      '[kubernetes_executor] pod_template_file',
      'AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE',
      POD_TEMPLATE_FILE_KEY,
      HELM_VALUES_KEY,
      'podTemplate',
      '1.29',
      '/proc/1/fd',
      'pause container',
      'PIPE_BUF',
    ]) {
      expect(section, needed).toContain(needed);
    }
  });

  it("says what replacing the chart's pod template loses, that the task runs at the sidecar's pace, and restricted", () => {
    for (const needed of [
      "helm: { releaseName: '<release>' }",
      'AIRFLOW__CORE__FERNET_KEY',
      'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
      '<release>-airflow-config',
      'serviceAccountName: <fullname>-worker',
      'the `<name>-pod-template` ConfigMap is not needed there',
      "the task's output moves at the sidecar's pace",
      'sidecarResources.limits.cpu',
      'Pod Security "restricted"',
      'podSecurityContext',
      'baseSecurityContext',
    ]) {
      expect(section, needed).toContain(needed);
    }
    expect(section).not.toContain('The task never depends on the sidecar');
  });
});
