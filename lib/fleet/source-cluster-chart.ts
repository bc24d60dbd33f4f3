import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { VectorAgent } from '../agent';
import { AirflowVectorPodTemplate } from '../airflow';
import { KubernetesEvents } from '../events';
import { DeploymentStatusApi, HttpHeartbeat, LogHeartbeat } from '../heartbeat';
import { VectorMonitoring } from '../monitoring';
import { VectorNetworkPolicies } from '../network';
import { CertificateExpiryAlert, certificatesIn, TlsSecretPull, VectorClientPki } from '../pki';
import type { WorkloadTls } from '../k8s/tls';
import { DEFAULT_NAMESPACE } from '../pki/pki-common';
import { agentBufferBytes } from './fleet-sizing';
import type { SourceCluster } from './inventory';
import type { MonitoringClusterChart } from './monitoring-cluster-chart';
import { fleetLogHeartbeatProps } from './fleet-heartbeat';
import { MIGRATION_RUNBOOK_FILE, migrationRunbook } from './migration-runbook';
import { resolvePrometheus } from './prometheus';
import { agentNodeLogProps, agentSchedulingProps } from './scheduling-props';

export interface SourceClusterChartProps extends ChartProps {
  /** The cluster, from the inventory. */
  readonly cluster: SourceCluster;
  /** The monitoring cluster it ships to: its aggregator endpoint, addresses, CA and external endpoints are read here. */
  readonly shipsTo: MonitoringClusterChart;
  /** How often the log heartbeat prints. */
  readonly heartbeatIntervalSeconds: number;
}

/** The default Secret with the agents' remote-write bearer token, in the agents' namespace. */
export const DEFAULT_REMOTE_WRITE_TOKEN_SECRET = { name: 'prometheus-remote-write', key: 'token' } as const;

/**
 * Everything a source cluster runs for the fleet: Vector agents shipping over mTLS to the monitoring cluster's
 * aggregators (a client certificate from the fleet's CA), their self-monitoring, the Kubernetes events collector on the
 * same mTLS path, the log heartbeat, the optional
 * network heartbeat, deployment status API and Airflow pod template, and network policies for all of them.
 */
export class SourceClusterChart extends Chart {
  /** The cluster's own client certificate issuer; undefined when the monitoring cluster issues the certificate. */
  readonly pki: VectorClientPki | undefined;
  /** The ExternalSecret of the CA Secret or client certificate; undefined when it is copied by hand. */
  readonly certificatePull: TlsSecretPull | undefined;
  readonly agent: VectorAgent;
  readonly logHeartbeat: LogHeartbeat | undefined;
  /** The cluster's Kubernetes events collector; undefined with `kubernetesEvents: false`. */
  readonly kubernetesEvents: KubernetesEvents | undefined;
  readonly httpHeartbeat: HttpHeartbeat | undefined;
  readonly deploymentStatusApi: DeploymentStatusApi | undefined;
  readonly airflow: AirflowVectorPodTemplate | undefined;
  readonly policies: VectorNetworkPolicies | undefined;
  /** `migration.md`, the cluster's migration runbook; undefined without a `migration`. */
  readonly migrationRunbook: string | undefined;

  constructor(scope: Construct, id: string, props: SourceClusterChartProps) {
    super(scope, id, { disableResourceNameHashes: true, ...props });
    const { cluster, shipsTo } = props;
    const identity = { name: cluster.name, environment: cluster.environment, region: cluster.region };
    const prometheus = resolvePrometheus(cluster.prometheus);
    const remoteWrite =
      cluster.remoteWrite === false || !shipsTo.externalRemoteWrite
        ? undefined
        : {
            destination: shipsTo.externalRemoteWrite,
            tokenSecret: cluster.remoteWrite?.tokenSecret ?? DEFAULT_REMOTE_WRITE_TOKEN_SECRET,
          };

    // The client certificate: issued here over the CA Secret, or in the monitoring cluster; pulled or copied by hand.
    const certificate = shipsTo.sourceCertificate(cluster.name);
    const restartOnRenewal = cluster.restartOnCertificateRenewal ?? true;
    const issued = certificate.issued;
    let clientTls: WorkloadTls & { readonly namespace: string };
    if (issued) {
      this.pki = undefined;
      clientTls = { secretName: issued.secretName, namespace: DEFAULT_NAMESPACE, restartOnRenewal };
    } else {
      const pki = new VectorClientPki(this, 'pki', {
        clusterName: cluster.name,
        caSecretName: certificate.caSecretName,
        restartOnRenewal,
      });
      this.pki = pki;
      clientTls = { ...pki.clientTls, namespace: pki.namespace };
    }
    this.certificatePull = certificate.pull
      ? new TlsSecretPull(this, 'certificate-pull', { ...certificate.pull, namespace: clientTls.namespace })
      : undefined;
    this.agent = new VectorAgent(this, 'agent', {
      cluster: identity,
      // Sized for the monitoring cluster's outage budget from this cluster's log rate, or the default.
      aggregator: {
        endpoints: [shipsTo.aggregatorEndpoint],
        bufferBytes: agentBufferBytes(cluster, shipsTo.outageBudget),
      },
      remoteWrite: remoteWrite
        ? { endpoint: remoteWrite.destination.endpoint, bearerTokenSecret: remoteWrite.tokenSecret }
        : false,
      tls: clientTls,
      ...agentSchedulingProps(cluster.agent),
      ...agentNodeLogProps(cluster.agent),
    });
    new VectorMonitoring(this, 'monitoring', {
      targets: [this.agent.monitoringTarget],
      namespace: prometheus.namespace,
      cluster: cluster.name,
      ruleLabels: prometheus.ruleLabels,
    });

    // VectorCertificateExpiring where this cluster issues its own client certificate (none when it is pulled or copied).
    const certificates = certificatesIn(this);
    if (certificates.length > 0) {
      new CertificateExpiryAlert(this, 'certificate-alert', {
        namespace: prometheus.namespace,
        ruleLabels: prometheus.ruleLabels,
        cluster: cluster.name,
        certificates,
      });
    }

    this.logHeartbeat =
      cluster.logHeartbeat === false
        ? undefined
        : new LogHeartbeat(this, 'log-heartbeat', fleetLogHeartbeatProps(props.heartbeatIntervalSeconds));
    // In the agents' namespace, with the agents' client certificate: the same mTLS path to the same aggregators.
    this.kubernetesEvents =
      cluster.kubernetesEvents === false
        ? undefined
        : new KubernetesEvents(this, 'kubernetes-events', {
            cluster: identity,
            aggregator: { endpoints: [shipsTo.aggregatorEndpoint] },
            tls: clientTls,
            namespace: clientTls.namespace,
          });
    this.httpHeartbeat = cluster.httpHeartbeat
      ? new HttpHeartbeat(this, 'http-heartbeat', { maxBodyBytes: cluster.httpHeartbeat.maxBodyBytes })
      : undefined;
    this.deploymentStatusApi = cluster.deploymentStatusApi
      ? new DeploymentStatusApi(this, 'deployment-status-api', {
          authTokenSecret: cluster.deploymentStatusApi.authTokenSecret,
          namespaces: cluster.deploymentStatusApi.namespaces,
        })
      : undefined;
    this.airflow =
      cluster.airflow && shipsTo.externalLoki
        ? new AirflowVectorPodTemplate(this, 'airflow', {
            cluster: identity,
            airflowImage: cluster.airflow.airflowImage,
            namespace: cluster.airflow.namespace,
            sidecarMode: cluster.airflow.sidecarMode,
            helm: { releaseName: cluster.airflow.helmReleaseName ?? DEFAULT_AIRFLOW_HELM_RELEASE },
            loki: { endpoint: shipsTo.externalLoki.endpoint, bearerTokenSecret: cluster.airflow.lokiTokenSecret },
          })
        : undefined;

    this.migrationRunbook = cluster.migration
      ? migrationRunbook({
          cluster: cluster.name,
          monitoringCluster: shipsTo.clusterName,
          migration: cluster.migration,
          agent: { namespace: this.agent.namespace, name: this.agent.name },
          heartbeatNamespace: this.logHeartbeat?.namespace,
        })
      : undefined;

    if (cluster.networkPolicies === false) {
      this.policies = undefined;
      return;
    }
    this.policies = new VectorNetworkPolicies(this, 'network-policies', {
      agent: this.agent,
      apiServer: cluster.apiServer,
      nodeCidrs: cluster.nodeCidrs,
      aggregatorCidrs: shipsTo.aggregatorAddresses,
      ...(remoteWrite ? { remoteWrite: { cidrs: remoteWrite.destination.cidrs } } : {}),
      prometheus: { namespace: prometheus.namespace, podLabels: prometheus.podLabels },
      ...(cluster.dns ? { dns: cluster.dns } : {}),
    });
    if (this.logHeartbeat) this.policies.addWorkload(this.logHeartbeat.networkPolicy());
    if (this.kubernetesEvents) {
      this.policies.addWorkload(this.kubernetesEvents.networkPolicy({ aggregatorCidrs: shipsTo.aggregatorAddresses }));
    }
    const from = (namespaces: readonly string[]) => ({ from: namespaces.map((namespace) => ({ namespace })) });
    if (this.httpHeartbeat && cluster.httpHeartbeat) {
      this.policies.addWorkload(this.httpHeartbeat.networkPolicy(from(cluster.httpHeartbeat.ingressNamespaces)));
    }
    if (this.deploymentStatusApi && cluster.deploymentStatusApi) {
      this.policies.addWorkload(
        this.deploymentStatusApi.networkPolicy(from(cluster.deploymentStatusApi.ingressNamespaces)),
      );
    }
  }

  /**
   * Files for `dist/<cluster>/` that are not manifests: the Airflow Helm values fragment, when Airflow is on, and the
   * migration runbook, when the cluster migrates.
   */
  extraFiles(): Readonly<Record<string, string>> {
    return {
      ...(this.airflow ? { [AIRFLOW_HELM_VALUES_FILE]: this.airflow.helmValuesYaml() } : {}),
      ...(this.migrationRunbook ? { [MIGRATION_RUNBOOK_FILE]: this.migrationRunbook } : {}),
    };
  }
}

/** The Airflow Helm release a cluster's `airflow` belongs to, unless it names another. */
export const DEFAULT_AIRFLOW_HELM_RELEASE = 'airflow';

/** Beside the manifests, for `helm upgrade airflow apache-airflow/airflow -f dist/<cluster>/airflow-values.yaml`. */
export const AIRFLOW_HELM_VALUES_FILE = 'airflow-values.yaml';
