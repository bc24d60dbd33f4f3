import type { PrerequisiteHint } from '../k8s/prerequisites';
import { DEFAULT_CA_SECRET, DEFAULT_NAMESPACE } from '../pki/pki-common';
import type { FleetCluster, MonitoringCluster, SourceCluster } from './inventory';
import { pullsCertificates } from './certificate-distribution';
import { fleetCaNamespace } from './monitoring-cluster-chart';
import { resolvePrometheus } from './prometheus';
import {
  AIRFLOW_HELM_VALUES_FILE,
  DEFAULT_AIRFLOW_HELM_RELEASE,
  DEFAULT_REMOTE_WRITE_TOKEN_SECRET,
} from './source-cluster-chart';

/**
 * What to do for the fleet's own well-known prerequisites of one cluster, from its inventory entry: the copy of the
 * CA Secret, the tokens the inventory names, the objects of the Airflow chart, the Prometheus namespace and the
 * in-cluster Loki and Prometheus Services. A hint applies only to a prerequisite the manifests really have; the list
 * itself is always derived from them.
 */
export function fleetPrerequisiteHints(
  cluster: FleetCluster,
  shipsTo: MonitoringCluster | undefined,
): PrerequisiteHint[] {
  const prometheus = resolvePrometheus(cluster.prometheus);
  const hints: PrerequisiteHint[] = [
    {
      kind: 'Namespace',
      name: prometheus.namespace,
      how:
        `kube-prometheus-stack's namespace (prometheus.namespace of ${cluster.name} in fleet.yaml), where the alert rules ` +
        `and the dashboard go: install kube-prometheus-stack there (helm install kube-prometheus-stack ` +
        `prometheus-community/kube-prometheus-stack -n ${prometheus.namespace} --create-namespace), or ` +
        `kubectl create namespace ${prometheus.namespace}`,
    },
  ];
  if (cluster.role === 'monitoring') hints.push(...monitoringHints(cluster));
  else hints.push(...sourceHints(cluster, shipsTo));
  return hints;
}

function monitoringHints(cluster: MonitoringCluster): PrerequisiteHint[] {
  const hints: PrerequisiteHint[] = [];
  if (cluster.agent !== false) {
    const namespace = fleetCaNamespace(cluster);
    hints.push({
      kind: 'Namespace',
      name: namespace,
      how:
        `cert-manager's cluster resource namespace (certManagerNamespace of ${cluster.name} in fleet.yaml), where the CA ` +
        `and its ClusterIssuer's Secret go: install cert-manager there (helm install cert-manager jetstack/cert-manager ` +
        `-n ${namespace} --create-namespace --set crds.enabled=true), or set certManagerNamespace to where it runs`,
    });
  }
  const service = serviceOf(cluster.loki.endpoint);
  if (service) {
    hints.push({
      kind: 'Service',
      ...service,
      how:
        `Loki, which the aggregators write to (loki.endpoint of ${cluster.name} in fleet.yaml: ` +
        `${cluster.loki.endpoint}): install Loki (e.g. helm install loki grafana/loki -n ${service.namespace}) so that ` +
        `this Service exists, or change loki.endpoint`,
    });
  }
  const remoteWrite = serviceOf(cluster.remoteWrite.endpoint);
  if (remoteWrite) {
    hints.push({
      kind: 'Service',
      ...remoteWrite,
      how:
        `Prometheus with its remote-write receiver on, which the aggregators write metrics to (remoteWrite.endpoint of ` +
        `${cluster.name} in fleet.yaml: ${cluster.remoteWrite.endpoint}): kube-prometheus-stack with ` +
        `prometheus.prometheusSpec.enableRemoteWriteReceiver=true, or change remoteWrite.endpoint`,
    });
  }
  return hints;
}

function sourceHints(cluster: SourceCluster, shipsTo: MonitoringCluster | undefined): PrerequisiteHint[] {
  const monitoring = shipsTo?.name ?? 'monitoring';
  const caNamespace = shipsTo ? fleetCaNamespace(shipsTo) : DEFAULT_NAMESPACE;
  const hints: PrerequisiteHint[] = [];
  // What comes by hand: the CA copy, or the client certificate issued in the monitoring cluster; nothing when
  // External Secrets brings it.
  if (!pullsCertificates(cluster, shipsTo)) {
    const secret =
      cluster.clientCertificateIssuer === 'monitoringCluster' ? `vector-agent-${cluster.name}-tls` : DEFAULT_CA_SECRET;
    const from = secret === DEFAULT_CA_SECRET ? caNamespace : DEFAULT_NAMESPACE;
    hints.push({
      kind: 'Secret',
      namespace: DEFAULT_NAMESPACE,
      name: secret,
      how: [
        secret === DEFAULT_CA_SECRET
          ? `the CA of the monitoring cluster ${monitoring}, copied in (README, "Copying the CA Secret to a source cluster"),`
          : `the agents' client certificate, issued in the monitoring cluster ${monitoring} and copied in (README, "Copying the CA Secret to a source cluster"; again after every renewal),`,
        `once ${monitoring}'s cert-manager has issued it and this cluster's namespace ${DEFAULT_NAMESPACE} exists:`,
        `kubectl --context ${monitoring} -n ${from} get secret ${secret} -o json \\`,
        `  | jq '{apiVersion, kind, type, metadata: {name: .metadata.name}, data: (.data | {"tls.crt", "tls.key", "ca.crt"})}' \\`,
        `  > ${secret}.json`,
        `kubectl --context ${cluster.name} -n ${DEFAULT_NAMESPACE} apply -f ${secret}.json && rm ${secret}.json`,
        secret === DEFAULT_CA_SECRET
          ? '(it holds the CA key: never commit it; External Secrets or Sealed Secrets keep it in GitOps)'
          : '(it holds the private key: never commit it; certificateDistribution renews the copy for you)',
      ].join('\n'),
    });
  }
  // As SourceClusterChart decides: remote write needs the monitoring cluster's external endpoint, Airflow its Loki's.
  if (cluster.remoteWrite !== false && shipsTo?.remoteWrite.external) {
    const secret = cluster.remoteWrite?.tokenSecret ?? DEFAULT_REMOTE_WRITE_TOKEN_SECRET;
    hints.push({
      kind: 'Secret',
      namespace: DEFAULT_NAMESPACE,
      name: secret.name,
      how:
        `the bearer token that ${monitoring}'s external remote-write endpoint accepts from the agents (remoteWrite.tokenSecret ` +
        `of ${cluster.name} in fleet.yaml): kubectl create secret generic ${secret.name} -n ${DEFAULT_NAMESPACE} ` +
        `--from-literal=${secret.key}=<token>`,
    });
  }
  if (cluster.deploymentStatusApi) {
    const secret = cluster.deploymentStatusApi.authTokenSecret;
    hints.push({
      kind: 'Secret',
      name: secret.name,
      how:
        `the token that clients of the deployment status API present (deploymentStatusApi.authTokenSecret of ` +
        `${cluster.name} in fleet.yaml): kubectl create secret generic ${secret.name} -n deployment-status ` +
        `--from-literal=${secret.key}=$(openssl rand -hex 32)`,
    });
  }
  if (cluster.airflow && shipsTo?.loki.external) {
    const namespace = cluster.airflow.namespace ?? 'airflow';
    const release = cluster.airflow.helmReleaseName ?? DEFAULT_AIRFLOW_HELM_RELEASE;
    const install =
      `helm upgrade --install ${release} apache-airflow/airflow -n ${namespace} --create-namespace ` +
      `-f dist/${cluster.name}/${AIRFLOW_HELM_VALUES_FILE}`;
    hints.push({
      kind: 'Namespace',
      name: namespace,
      how: `Airflow's namespace (airflow.namespace of ${cluster.name} in fleet.yaml): install the Airflow chart first (${install}), or kubectl create namespace ${namespace}`,
    });
    for (const kind of ['Secret', 'ConfigMap', 'ServiceAccount']) {
      hints.push({
        kind,
        namespace,
        namePrefix: `${release}-`,
        how: `written by the Airflow Helm release ${release} (airflow.helmReleaseName of ${cluster.name} in fleet.yaml), which the task pods belong to: ${install}`,
      });
    }
    if (cluster.airflow.lokiTokenSecret) {
      const secret = cluster.airflow.lokiTokenSecret;
      hints.push({
        kind: 'Secret',
        namespace,
        name: secret.name,
        how:
          `the bearer token for ${monitoring}'s external Loki that the task pods push with (airflow.lokiTokenSecret of ` +
          `${cluster.name} in fleet.yaml): kubectl create secret generic ${secret.name} -n ${namespace} ` +
          `--from-literal=${secret.key}=<token>`,
      });
    }
  }
  return hints;
}

/** The Service an in-cluster URL's host names (`http://loki-gateway.monitoring.svc:80`), if it names one. */
function serviceOf(url: string): { name: string; namespace: string } | undefined {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(new URL(url).hostname);
  return match ? { name: match[1], namespace: match[2] } : undefined;
}
