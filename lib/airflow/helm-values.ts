import type { k8s } from 'cdk8s-plus-28';
import { stringify } from 'yaml';

/** The value of the official Apache Airflow Helm chart that holds the whole `pod_template_file.yaml`, as a string. */
export const HELM_POD_TEMPLATE_VALUE = 'podTemplate';

/**
 * The release of the official Apache Airflow Helm chart whose `podTemplate` the template becomes. The chart's own
 * pod template gives the task pods the metadata database and Fernet key, `airflow.cfg`, a logs volume and the worker
 * ServiceAccount; a replacement must bring them itself.
 */
export interface AirflowHelmRelease {
  /** The Helm release name, e.g. `airflow`. */
  readonly releaseName: string;
  /** The chart's `airflowHome`. @default '/opt/airflow' */
  readonly airflowHome?: string;
  /** The chart's `fernetKeySecretName`, a Secret with the key `fernet-key`. @default `<releaseName>-fernet-key` */
  readonly fernetKeySecretName?: string;
  /** The chart's `data.metadataSecretName`, a Secret with the key `connection`. @default `<releaseName>-airflow-metadata` */
  readonly metadataSecretName?: string;
  /**
   * The PersistentVolumeClaim of the chart's `logs.persistence` (`<releaseName>-logs`, or its `existingClaim`).
   * @default none: an emptyDir, as the chart's default
   */
  readonly logsClaimName?: string;
  /**
   * The PersistentVolumeClaim of the chart's `dags.persistence` (`<releaseName>-dags`, or its `existingClaim`), mounted
   * at `<airflowHome>/dags`. The chart's `dags.gitSync` needs a git-sync init container, which the template has not.
   * @default none: the DAGs are in the image
   */
  readonly dagsClaimName?: string;
}

/** What the chart's default pod template gives the task pod and a replacement must repeat. */
export interface HelmChartPodParts {
  /** The chart's worker ServiceAccount, as `worker.serviceAccountName` names it with the chart's defaults. */
  readonly serviceAccountName: string;
  /** The labels the chart's task pods carry (`tier`, `component`, `release`), which its NetworkPolicies select. */
  readonly labels: Readonly<Record<string, string>>;
  readonly env: k8s.EnvVar[];
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
}

/**
 * `airflow.fullname` of the chart without `fullnameOverride`: the release name when it contains "airflow", else
 * `<release>-airflow` (a release name has at most 53 characters, so the chart's cut at 63 never applies).
 */
export function helmChartFullname(releaseName: string): string {
  return releaseName.includes('airflow') ? releaseName : `${releaseName}-airflow`;
}

/**
 * The chart's task-pod labels and `AIRFLOW__CORE__EXECUTOR: LocalExecutor`, the `standard_airflow_environment` secrets
 * that every Airflow version of the chart has (the webserver and
 * API secret keys differ between Airflow 2 and 3, and are left to `baseEnv`), its `config` volume with `airflow.cfg`,
 * its `logs` volume, its `dags` volume when DAGs persist, and its worker ServiceAccount.
 */
export function helmChartPodParts(
  release: Required<Omit<AirflowHelmRelease, 'logsClaimName' | 'dagsClaimName'>> & AirflowHelmRelease,
): HelmChartPodParts {
  const secret = (name: string, secretName: string, key: string): k8s.EnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: secretName, key } },
  });
  return {
    serviceAccountName: `${helmChartFullname(release.releaseName)}-worker`,
    labels: { tier: 'airflow', component: 'worker', release: release.releaseName },
    env: [
      // As the chart's template: the task process must not try to run the KubernetesExecutor itself.
      { name: 'AIRFLOW__CORE__EXECUTOR', value: 'LocalExecutor' },
      secret('AIRFLOW__CORE__FERNET_KEY', release.fernetKeySecretName, 'fernet-key'),
      secret('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', release.metadataSecretName, 'connection'),
      secret('AIRFLOW_CONN_AIRFLOW_DB', release.metadataSecretName, 'connection'),
    ],
    volumes: [
      { name: 'config', configMap: { name: `${release.releaseName}-airflow-config` } },
      release.logsClaimName
        ? { name: 'logs', persistentVolumeClaim: { claimName: release.logsClaimName } }
        : { name: 'logs', emptyDir: {} },
      ...(release.dagsClaimName ? [{ name: 'dags', persistentVolumeClaim: { claimName: release.dagsClaimName } }] : []),
    ],
    volumeMounts: [
      { name: 'logs', mountPath: `${release.airflowHome}/logs` },
      { name: 'config', mountPath: `${release.airflowHome}/airflow.cfg`, subPath: 'airflow.cfg', readOnly: true },
      ...(release.dagsClaimName ? [{ name: 'dags', mountPath: `${release.airflowHome}/dags` }] : []),
    ],
  };
}

/**
 * Makes text survive Helm's `tpl`, which the chart runs over `podTemplate`: every `{{` becomes an action that prints
 * `{{`. A lone `}}` outside an action is plain text to Go templates.
 */
export function escapeHelmTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** A values fragment for the official Airflow chart, setting `podTemplate` to the given pod template YAML. */
export function helmPodTemplateValues(podTemplateYaml: string, header: readonly string[]): string {
  const values = stringify({ [HELM_POD_TEMPLATE_VALUE]: escapeHelmTemplate(podTemplateYaml) }, { lineWidth: 0 });
  return [...header.map((line) => `# ${line}`), values].join('\n');
}
