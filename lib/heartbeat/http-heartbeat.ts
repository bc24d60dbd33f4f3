import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PodOverrides } from '../k8s/pod-overrides';
import { withPodOverrides } from '../k8s/pod-overrides-apply';
import { commonLabels, selectorLabels } from '../k8s/labels';
import { checkDnsLabel, checkPinnedImage, checkPort, checkWholeNumber, propError } from '../k8s/prop-errors';
import { checkResources, type ContainerResources, toResourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';
import type { NetworkPolicyWorkload } from '../network/workload-policy';
import {
  checkServiceName,
  HTTP_PORT_NAME,
  httpServerService,
  imageVersion,
  restrictedNamespace,
  type ServerNetworkPolicyOptions,
  serverNetworkPolicy,
} from './workload';

// Shared with DeploymentStatusApi; exported from here, as workload.ts is internal to lib/heartbeat.
export type { ServerNetworkPolicyOptions } from './workload';

/**
 * The network heartbeat server (source: github.com/bartr/heartbeat, published as ghcr.io/cse-labs/heartbeat; the
 * 0.4.0 tag is the one its own docs pull).
 */
export const DEFAULT_HTTP_HEARTBEAT_IMAGE = 'ghcr.io/cse-labs/heartbeat:0.4.0';
/** The largest body the server serves: its `-max` must be at most 1 GiB. */
export const MAX_HEARTBEAT_BODY_BYTES = 1024 ** 3;

export interface HttpHeartbeatProps {
  /** @default 'heartbeat' */
  readonly namespace?: string;
  /** Create the namespace, enforcing Pod Security "restricted". @default true */
  readonly createNamespace?: boolean;
  /** Name of the Deployment and the Service. @default 'http-heartbeat' */
  readonly name?: string;
  /** Pinned image. @default 'ghcr.io/cse-labs/heartbeat:0.4.0' */
  readonly image?: string;
  /**
   * Path prefix (`-u`): `GET <path><bytes>` answers with a body of that many bytes. The server adds a missing trailing
   * slash; it lowercases request paths, so the path is lowercase. Not `/`.
   * @default '/heartbeat/'
   */
  readonly path?: string;
  /** Port the server listens on (`-p`), also the Service port. @default 8080 */
  readonly port?: number;
  /** Smallest body size served, in bytes (`-min`); at least 1 and below `maxBodyBytes`. @default 1 */
  readonly minBodyBytes?: number;
  /** Largest body size served, in bytes (`-max`); at most 1 GiB (1073741824). @default 1048576 (1 MiB) */
  readonly maxBodyBytes?: number;
  /** Log every request to stdout (`-log`). @default false */
  readonly logRequests?: boolean;
  /**
   * Where the server answers `healthz` and `readyz`. The server handles them under its path (`/heartbeat/healthz`);
   * images that serve them at the root take `'/'`.
   * @default the `path`
   */
  readonly probePathPrefix?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default requests 10m / 16Mi, limits 200m / 64Mi */
  readonly resources?: ContainerResources;
  /**
   * Scheduling and escape hatches for the pod (node selector, affinity, spread, tolerations, priority, extra env,
   * volumes, mounts, labels, annotations, image pull secrets), added to what the construct writes.
   * @default none
   */
  readonly pod?: PodOverrides;
}

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '10m', memory: '16Mi' },
  limits: { cpu: '200m', memory: '64Mi' },
};
/** A non-root UID; the image (busybox base) sets no user. */
const HEARTBEAT_UID = 10001;
const PATH = /^(\/[a-z0-9._~-]+)+\/?$/;

/**
 * The network heartbeat: an HTTP server answering `GET /heartbeat/<bytes>` with a body of that many bytes, for
 * end-to-end network tests through ingress and service mesh. Owns its Namespace (Pod Security "restricted"), the
 * Deployment and a ClusterIP Service; props map one to one to the server's flags `-u`, `-p`, `-min`, `-max`, `-log`,
 * and are checked against the limits the server enforces at start (it exits on a bad value).
 */
export class HttpHeartbeat extends Construct {
  readonly namespace: string;
  readonly name: string;
  readonly serviceName: string;
  readonly port: number;
  /** The path prefix as the server uses it, with a trailing slash, e.g. `/heartbeat/`. */
  readonly path: string;
  /** In-cluster URL of the path prefix: append a byte count. */
  readonly url: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The server's command-line flags. */
  readonly args: readonly string[];
  readonly ownsNamespace: boolean;

  constructor(scope: Construct, id: string, props: HttpHeartbeatProps = {}) {
    super(scope, id);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? 'heartbeat');
    this.name = checkServiceName(this, 'name', props.name ?? 'http-heartbeat');
    this.serviceName = this.name;
    const image = checkPinnedImage(
      this,
      'image',
      props.image ?? DEFAULT_HTTP_HEARTBEAT_IMAGE,
      DEFAULT_HTTP_HEARTBEAT_IMAGE,
    );
    this.path = this.checkPath('path', props.path ?? '/heartbeat/');
    this.port = checkPort(this, 'port', props.port ?? 8080);
    const [min, max] = this.checkBodySizes(props.minBodyBytes ?? 1, props.maxBodyBytes ?? 1024 * 1024);
    const probePrefix = this.checkProbePrefix(props.probePathPrefix ?? this.path);
    const replicas = checkWholeNumber(this, 'replicas', props.replicas ?? 1, 1);
    const resources = checkResources(this, 'resources', props.resources ?? DEFAULT_RESOURCES);
    this.ownsNamespace = props.createNamespace ?? true;
    this.url = `http://${this.serviceName}.${this.namespace}.svc:${this.port}${this.path}`;
    this.args = [
      '-u',
      this.path,
      '-p',
      String(this.port),
      '-min',
      String(min),
      '-max',
      String(max),
      ...(props.logRequests ? ['-log'] : []),
    ];

    const identity = { name: 'heartbeat', instance: this.name, component: 'http-heartbeat' };
    const labels = commonLabels({ ...identity, version: imageVersion(image) });
    this.selectorLabels = selectorLabels(identity);
    const meta = { name: this.name, namespace: this.namespace, labels };
    if (this.ownsNamespace) restrictedNamespace(this, this.namespace, labels);

    const probe = (path: string, failureThreshold: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString(HTTP_PORT_NAME) },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold,
    });
    // `pod` is checked against, and added to, the pod written below.
    const withPod = (template: k8s.PodTemplateSpec) =>
      withPodOverrides(this, template, props.pod, {
        containerName: 'heartbeat',
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
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(HEARTBEAT_UID),
            containers: [
              {
                name: 'heartbeat',
                image,
                imagePullPolicy: 'IfNotPresent',
                args: [...this.args],
                ports: [{ name: HTTP_PORT_NAME, containerPort: this.port, protocol: 'TCP' }],
                livenessProbe: probe(`${probePrefix}healthz`, 3),
                readinessProbe: probe(`${probePrefix}readyz`, 1),
                resources: toResourceRequirements(resources),
                securityContext: restrictedContainerSecurityContext(HEARTBEAT_UID),
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
   * and nothing out (no DNS either: it only answers). It carries `ownsNamespace`, so a namespace it creates gets its
   * default-deny too. The kubelet's probes need no rule.
   */
  networkPolicy(options: ServerNetworkPolicyOptions): NetworkPolicyWorkload {
    return serverNetworkPolicy(this, this, options);
  }

  /** The server serves its root page at a path of `/` and lowercases request paths before matching. */
  private checkPath(prop: string, value: string): string {
    if (value === '/') {
      throw propError(this, prop, value, 'the server cannot serve heartbeats at "/"; use a path such as "/heartbeat/"');
    }
    if (typeof value === 'string' && value.length > 200) {
      throw propError(this, prop, value, `use at most 200 characters, not ${value.length}`);
    }
    if (typeof value !== 'string' || !PATH.test(value)) {
      throw propError(
        this,
        prop,
        value,
        'use an absolute path of lowercase letters, digits, "-", "_", "." and "/", e.g. "/heartbeat/"',
      );
    }
    return value.endsWith('/') ? value : `${value}/`;
  }

  private checkProbePrefix(value: string): string {
    if (value === '/') return value;
    return this.checkPath('probePathPrefix', value);
  }

  private checkBodySizes(min: number, max: number): [number, number] {
    checkWholeNumber(this, 'maxBodyBytes', max, 2, MAX_HEARTBEAT_BODY_BYTES);
    checkWholeNumber(this, 'minBodyBytes', min, 1);
    if (min >= max) {
      // The server checks `min < 1 || min >= max` and exits, so equal sizes would crash-loop the pod.
      throw propError(this, 'minBodyBytes', min, `must be less than maxBodyBytes (${max}): the server exits otherwise`);
    }
    return [min, max];
  }
}
