import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PodOverrides } from '../k8s/pod-overrides';
import { withPodOverrides } from '../k8s/pod-overrides-apply';
import { commonLabels, selectorLabels } from '../k8s/labels';
import { checkDnsLabel, checkPinnedImage, checkPort, checkWholeNumber, propError } from '../k8s/prop-errors';
import { checkResources, type ContainerResources, toResourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';
import type { SecretKeyRef } from '../k8s/vector-workload';
import type { NetworkPolicyWorkload } from '../network/workload-policy';
import {
  checkSecretKeyRef,
  checkServiceName,
  HTTP_PORT_NAME,
  httpServerService,
  imageVersion,
  restrictedNamespace,
  type ServerNetworkPolicyOptions,
  serverNetworkPolicy,
} from './workload';

/**
 * The deployment status API (source: github.com/mauri870/k8s-controller-heartbeat, published as
 * mauri0870/k8s-heartbeat). Its own manifests use the untagged image; this tag could not be checked against the
 * registry, so pin the tag or digest you mirrored with `image`.
 */
export const DEFAULT_DEPLOYMENT_STATUS_IMAGE = 'mauri0870/k8s-heartbeat:1.0.0';

/** The API's log levels (logrus; an unknown level silently falls back to INFO, so it is checked here). */
export const DEPLOYMENT_STATUS_LOG_LEVELS = ['PANIC', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const;
export type DeploymentStatusLogLevel = (typeof DEPLOYMENT_STATUS_LOG_LEVELS)[number];

/** At most `requests` API calls per client IP in each `period`. */
export interface RateLimit {
  /** `RATE_LIMIT`: a whole number, at least 1. */
  readonly requests: number;
  /** `RATE_LIMIT_PERIOD`: a Go duration such as `1h`, `30m` or `1m30s` (no days). */
  readonly period: string;
}

export interface DeploymentStatusApiProps {
  /**
   * The token clients send (`Authorization: Basic <token>` or `?token=`), from a Secret in `namespace`. Required: the
   * API's built-in default token is the public string "xxx".
   */
  readonly authTokenSecret: SecretKeyRef;
  /** @default 'deployment-status' */
  readonly namespace?: string;
  /** Create the namespace, enforcing Pod Security "restricted". @default true */
  readonly createNamespace?: boolean;
  /** Name of the Deployment, Service, ServiceAccount and RBAC objects. @default 'deployment-status-api' */
  readonly name?: string;
  /** Pinned image. @default 'mauri0870/k8s-heartbeat:1.0.0' */
  readonly image?: string;
  /** `PORT`, also the Service port. @default 8080 */
  readonly port?: number;
  /** `LOG_LEVEL`. @default 'INFO' */
  readonly logLevel?: DeploymentStatusLogLevel;
  /**
   * `RATE_LIMIT` and `RATE_LIMIT_PERIOD`, per client IP and per replica (each pod counts on its own). The older
   * `"<count>-<S|M|H|D>"` form of `RATE_LIMIT` (ulule/limiter's, e.g. `"3600-H"` = 3600 per hour) is converted.
   * @default { requests: 3600, period: '1h' }
   */
  readonly rateLimit?: RateLimit | string;
  /**
   * Only these namespaces can be queried: a Role and RoleBinding in each instead of a ClusterRole.
   * @default every namespace (ClusterRole)
   */
  readonly namespaces?: readonly string[];
  /** @default 1 */
  readonly replicas?: number;
  /** @default requests 10m / 32Mi, limits 200m / 128Mi */
  readonly resources?: ContainerResources;
  /**
   * Scheduling and escape hatches for the pod (node selector, affinity, spread, tolerations, priority, extra env,
   * volumes, mounts, labels, annotations, image pull secrets), added to what the construct writes.
   * @default none
   */
  readonly pod?: PodOverrides;
}

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { cpu: '200m', memory: '128Mi' },
};
/** A non-root UID; the image (alpine base) sets no user. */
const API_UID = 65532;
const LEGACY_RATE = /^(\d+)-([SMHDsmhd])$/;
const LEGACY_PERIODS: Readonly<Record<string, string>> = { S: '1s', M: '1m', H: '1h', D: '24h' };
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Whether `text` is a Go duration (`time.ParseDuration`) greater than zero. */
export function isPositiveGoDuration(text: string): boolean {
  if (typeof text !== 'string' || !GO_DURATION.test(text)) return false;
  return [...text.matchAll(/(\d+(?:\.\d+)?)[a-zµ]+/g)].some((m) => Number(m[1]) > 0);
}

/** `"3600-H"` -> `{ requests: 3600, period: '1h' }`; undefined when it is not that form. */
export function parseLegacyRateLimit(text: string): RateLimit | undefined {
  const m = LEGACY_RATE.exec(text);
  return m ? { requests: Number(m[1]), period: LEGACY_PERIODS[m[2].toUpperCase()] } : undefined;
}

/**
 * An HTTP API that outside status pages poll for the health of a Deployment:
 * `GET /api/healthz/{namespace}/deployment/{name}` answers 200 when it is available and one of its pods is ready
 * without warning events, 400 otherwise. Owns its Namespace (Pod Security "restricted"), ServiceAccount, the least
 * RBAC it needs (get deployments, list pods and events: cluster-wide, or per namespace with `namespaces`), the
 * Deployment and a ClusterIP Service. The token comes from a Secret, never from the manifests.
 */
export class DeploymentStatusApi extends Construct {
  readonly namespace: string;
  readonly name: string;
  readonly serviceName: string;
  readonly serviceAccountName: string;
  readonly port: number;
  /** In-cluster base URL, e.g. `http://deployment-status-api.deployment-status.svc:8080`. */
  readonly url: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The rate limit as the container gets it (legacy form converted). */
  readonly rateLimit: RateLimit;
  /** The namespaces it may query, or undefined for all. */
  readonly namespaces: readonly string[] | undefined;
  readonly ownsNamespace: boolean;

  constructor(scope: Construct, id: string, props: DeploymentStatusApiProps) {
    super(scope, id);
    const token = checkSecretKeyRef(this, 'authTokenSecret', props.authTokenSecret);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? 'deployment-status');
    this.name = checkServiceName(this, 'name', props.name ?? 'deployment-status-api');
    this.serviceName = this.name;
    this.serviceAccountName = this.name;
    const image = checkPinnedImage(
      this,
      'image',
      props.image ?? DEFAULT_DEPLOYMENT_STATUS_IMAGE,
      DEFAULT_DEPLOYMENT_STATUS_IMAGE,
    );
    this.port = checkPort(this, 'port', props.port ?? 8080);
    const logLevel = props.logLevel ?? 'INFO';
    if (!(DEPLOYMENT_STATUS_LOG_LEVELS as readonly string[]).includes(logLevel)) {
      throw propError(this, 'logLevel', logLevel, `use one of ${DEPLOYMENT_STATUS_LOG_LEVELS.join(', ')}`);
    }
    this.rateLimit = this.checkRateLimit(props.rateLimit ?? { requests: 3600, period: '1h' });
    this.namespaces = props.namespaces === undefined ? undefined : this.checkNamespaces(props.namespaces);
    const replicas = checkWholeNumber(this, 'replicas', props.replicas ?? 1, 1);
    const resources = checkResources(this, 'resources', props.resources ?? DEFAULT_RESOURCES);
    this.ownsNamespace = props.createNamespace ?? true;
    this.url = `http://${this.serviceName}.${this.namespace}.svc:${this.port}`;

    const identity = { name: 'deployment-status-api', instance: this.name, component: 'status-api' };
    const labels = commonLabels({ ...identity, version: imageVersion(image) });
    this.selectorLabels = selectorLabels(identity);
    const meta = { name: this.name, namespace: this.namespace, labels };

    if (this.ownsNamespace) restrictedNamespace(this, this.namespace, labels);
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta });
    this.createRbac(labels);

    // /healthz pings the API server's /healthz, which every authenticated client may read (system:public-info-viewer).
    const probe = (failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromString(HTTP_PORT_NAME) },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
    });
    const env: k8s.EnvVar[] = [
      { name: 'PORT', value: String(this.port) },
      { name: 'LOG_LEVEL', value: logLevel },
      { name: 'RATE_LIMIT', value: String(this.rateLimit.requests) },
      { name: 'RATE_LIMIT_PERIOD', value: this.rateLimit.period },
      { name: 'AUTH_TOKEN_BASIC', valueFrom: { secretKeyRef: { name: token.name, key: token.key } } },
    ];
    // `pod` is checked against, and added to, the pod written below.
    const withPod = (template: k8s.PodTemplateSpec) =>
      withPodOverrides(this, template, props.pod, {
        containerName: 'api',
        selectorLabels: this.selectorLabels,
        podSecurity: 'restricted',
      });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta,
      spec: {
        replicas,
        selector: { matchLabels: { ...this.selectorLabels } },
        template: withPod({
          metadata: { labels },
          spec: {
            serviceAccountName: this.serviceAccountName,
            // The API reads deployments, pods and events with the service-account token (in-cluster config).
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(API_UID),
            containers: [
              {
                name: 'api',
                image,
                imagePullPolicy: 'IfNotPresent',
                env,
                ports: [{ name: HTTP_PORT_NAME, containerPort: this.port, protocol: 'TCP' }],
                // The check depends on the API server: liveness tolerates a minute of it being away before a restart.
                livenessProbe: { ...probe(6), initialDelaySeconds: 5 },
                readinessProbe: probe(2),
                resources: toResourceRequirements(resources),
                securityContext: restrictedContainerSecurityContext(API_UID),
              },
            ],
          },
        }),
      },
    });
    httpServerService(this, meta, this.selectorLabels, this.port);
  }

  /**
   * The description of its NetworkPolicy, for `VectorNetworkPolicies.addWorkload`: `port` from `options.from` only,
   * and out only to the API server (give `apiServer` to the policies). It carries `ownsNamespace`, so a namespace it
   * creates gets its default-deny too. The kubelet's probes need no rule.
   */
  networkPolicy(options: ServerNetworkPolicyOptions): NetworkPolicyWorkload {
    // No DNS: with no KUBECONFIG, client-go's in-cluster config dials KUBERNETES_SERVICE_HOST, an IP address the
    // kubelet sets in every pod (enableServiceLinks: false keeps the default/kubernetes variables).
    return serverNetworkPolicy(this, this, options, { apiServer: true });
  }

  private createRbac(labels: Readonly<Record<string, string>>): void {
    const rules: k8s.PolicyRule[] = [
      // Reads the Deployment's selector, lists its pods, then the last events of one pod.
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events', 'pods'], verbs: ['list'] },
    ];
    const subjects: k8s.Subject[] = [
      { kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace },
    ];
    if (this.namespaces === undefined) {
      new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: this.name, labels }, rules });
      new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name: this.name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
        subjects,
      });
      return;
    }
    for (const namespace of this.namespaces) {
      const metadata = { name: this.name, namespace, labels };
      new k8s.KubeRole(this, `Role-${namespace}`, { metadata, rules });
      new k8s.KubeRoleBinding(this, `RoleBinding-${namespace}`, {
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
        subjects,
      });
    }
  }

  private checkRateLimit(value: RateLimit | string): RateLimit {
    if (typeof value === 'string') {
      const legacy = parseLegacyRateLimit(value);
      if (!legacy || legacy.requests < 1) {
        throw propError(
          this,
          'rateLimit',
          value,
          'use { requests, period } or the older "<count>-<S|M|H|D>" form with a count of at least 1, e.g. "3600-H" (3600 per hour)',
        );
      }
      return legacy;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw propError(this, 'rateLimit', value, 'use { requests, period }, e.g. { requests: 3600, period: "1h" }');
    }
    checkWholeNumber(this, 'rateLimit.requests', value.requests, 1);
    if (!isPositiveGoDuration(value.period)) {
      throw propError(
        this,
        'rateLimit.period',
        value.period,
        'use a Go duration above zero such as "1h", "30m" or "1m30s" (units ns, us, ms, s, m, h; no days)',
      );
    }
    return { requests: value.requests, period: value.period };
  }

  private checkNamespaces(namespaces: readonly string[]): readonly string[] {
    if (!Array.isArray(namespaces) || namespaces.length === 0) {
      throw propError(this, 'namespaces', namespaces, 'list at least one namespace, or leave it out for all');
    }
    namespaces.forEach((ns, i) => checkDnsLabel(this, `namespaces[${i}]`, ns));
    const duplicate = namespaces.find((ns, i) => namespaces.indexOf(ns) !== i);
    if (duplicate !== undefined) throw propError(this, 'namespaces', namespaces, `"${duplicate}" is listed twice`);
    return [...namespaces];
  }
}
