import type { PipelineComponent } from './component';
import type { ComponentOptions } from './components/kind';
import { labelOf, parseAddress } from './validate';

/*
 * Where a component connects and what it listens on, read from its options as Vector 0.57's component reference
 * describes them: the data network policies are derived from. Pure data code: no Kubernetes here.
 */

export type TransportProtocol = 'TCP' | 'UDP';

/** One place a component connects to. */
export interface ComponentDestination {
  /** The option it was read from, e.g. `uri`, `routing.endpoints[1]`, `bootstrap_servers`; `region` for AWS. */
  readonly option: string;
  /** What it connects to, for messages: `https://s3.eu-central-1.amazonaws.com:443`, `kafka-1.example.com:9092`. */
  readonly target: string;
  /**
   * The host name or IP address (an IPv6 address without brackets); undefined when only the running Vector knows it
   * (an AWS service in the region of the environment).
   */
  readonly host: string | undefined;
  readonly port: number;
  readonly protocol: TransportProtocol;
}

/** A value saying where a component connects that cannot be read before Vector runs, or a type nothing is known of. */
export interface UnplaceableEndpoint {
  /** The option, or `type` when the component type is one this table does not know. */
  readonly option: string;
  /** The value as written; undefined for an unknown type. */
  readonly value: string | undefined;
  /** Why, e.g. `its host is a template, filled in only at run time`. */
  readonly reason: string;
}

export interface ComponentConnections {
  /** `sinks.archive`. */
  readonly component: string;
  readonly type: string;
  readonly destinations: readonly ComponentDestination[];
  readonly unplaceable: readonly UnplaceableEndpoint[];
  /** Whether it talks to the Kubernetes API server of the cluster it runs in (`kubernetes_logs`). */
  readonly kubernetesApi: boolean;
}

/** An address a component binds. */
export interface ComponentListenAddress {
  readonly option: string;
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: TransportProtocol;
}

export interface ComponentListeners {
  readonly component: string;
  readonly type: string;
  readonly addresses: readonly ComponentListenAddress[];
  readonly unplaceable: readonly UnplaceableEndpoint[];
}

/** Ports a URL scheme implies when the URL has none. */
const SCHEME_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  redis: 6379,
  rediss: 6379,
  nats: 4222,
  tls: 4222,
  amqp: 5672,
  amqps: 5671,
  postgres: 5432,
  postgresql: 5432,
  mongodb: 27017,
  pulsar: 6650,
  'pulsar+ssl': 6651,
};

/** `${VAR}`, `$VAR`, `{{ field }}` and `SECRET[backend.key]`: values Vector fills in only when it runs. */
const TEMPLATE = /\$\{|\$[A-Za-z_]|\{\{|SECRET\[/;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

class Collector {
  readonly destinations: ComponentDestination[] = [];
  readonly unplaceable: UnplaceableEndpoint[] = [];
  kubernetesApi = false;

  constructor(private readonly options: ComponentOptions) {}

  value(path: string): unknown {
    let current: unknown = this.options;
    for (const key of path.split('.')) {
      if (typeof current !== 'object' || current === null) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  }

  string(path: string): string | undefined {
    const v = this.value(path);
    return typeof v === 'string' ? v : undefined;
  }

  cannotPlace(option: string, value: string | undefined, reason: string): void {
    this.unplaceable.push({ option, value, reason });
  }

  /** A URL option (or its default when unset); `defaultPort` for URLs of a scheme without a well-known port. */
  url(option: string, fallback?: string, protocol: TransportProtocol = 'TCP'): void {
    const given = this.value(option);
    if (given === undefined && fallback === undefined) return;
    if (given !== undefined && typeof given !== 'string') {
      this.cannotPlace(option, JSON.stringify(given), 'it is not a string');
      return;
    }
    this.parseUrl(option, given ?? (fallback as string), protocol);
  }

  /** A list of URLs. */
  urls(option: string): void {
    const given = this.value(option);
    if (given === undefined) return;
    if (!Array.isArray(given)) {
      this.cannotPlace(option, JSON.stringify(given), 'it is not a list of URLs');
      return;
    }
    given.forEach((u, i) =>
      typeof u === 'string'
        ? this.parseUrl(`${option}[${i}]`, u, 'TCP')
        : this.cannotPlace(`${option}[${i}]`, JSON.stringify(u), 'it is not a string'),
    );
  }

  /** `host:port`, several separated by commas (Kafka's `bootstrap_servers`). */
  hostPorts(option: string, protocol: TransportProtocol, defaultPort?: number): void {
    const given = this.value(option);
    if (given === undefined) return;
    if (typeof given !== 'string') {
      this.cannotPlace(option, JSON.stringify(given), 'it is not a string');
      return;
    }
    if (TEMPLATE.test(given)) {
      this.cannotPlace(option, given, 'it is a template or secret, filled in only when Vector runs');
      return;
    }
    for (const part of given.split(',').map((p) => p.trim())) {
      const { host, port } = splitHostPort(part);
      const chosen = port ?? defaultPort;
      if (host === undefined || chosen === undefined) {
        this.cannotPlace(option, given, `"${part}" is not host:port`);
        continue;
      }
      this.destinations.push({ option, target: `${bracket(host)}:${chosen}`, host, port: chosen, protocol });
    }
  }

  /** An AWS service: `endpoint` when given, else the regional HTTPS endpoint `<service>.<region>.amazonaws.com`. */
  aws(service: string): void {
    if (this.value('endpoint') !== undefined) {
      this.url('endpoint');
      return;
    }
    const region = this.string('region') ?? this.string('auth.region');
    if (region !== undefined && TEMPLATE.test(region)) {
      this.cannotPlace('region', region, 'it is a template or secret, filled in only when Vector runs');
      return;
    }
    const host = region === undefined ? undefined : `${service}.${region}.amazonaws.com`;
    const shown = host ?? `${service}.<region of the environment>.amazonaws.com`;
    this.destinations.push({ option: 'region', target: `https://${shown}:443`, host, port: 443, protocol: 'TCP' });
  }

  private parseUrl(option: string, value: string, protocol: TransportProtocol): void {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(value);
    const scheme = m?.[1].toLowerCase();
    const authority = m ? m[2] : value.split(/[/?#]/, 1)[0];
    if (TEMPLATE.test(authority)) {
      this.cannotPlace(option, value, 'its host is a template or secret, filled in only when Vector runs');
      return;
    }
    const hosts = authority.slice(authority.lastIndexOf('@') + 1);
    const transport = scheme === 'udp' ? 'UDP' : protocol;
    for (const part of hosts.split(',')) {
      const { host, port } = splitHostPort(part);
      const chosen = port ?? (scheme === undefined ? undefined : SCHEME_PORTS[scheme]);
      if (host === undefined || chosen === undefined) {
        const why = m ? `it names no host, or no port for the scheme "${scheme}"` : 'it is neither a URL nor host:port';
        this.cannotPlace(option, value, why);
        continue;
      }
      const target = `${scheme === undefined ? '' : `${scheme}://`}${bracket(host)}:${chosen}`;
      this.destinations.push({ option, target, host, port: chosen, protocol: transport });
    }
  }
}

function splitHostPort(text: string): { host: string | undefined; port: number | undefined } {
  const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m || !HOST.test(m[1])) return { host: undefined, port: undefined };
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return { host: undefined, port: undefined };
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host);

type Reader = (c: Collector) => void;

const endpoint: Reader = (c) => c.url('endpoint');
const endpointOr =
  (fallback: string): Reader =>
  (c) =>
    c.url('endpoint', fallback);
const nowhere: Reader = () => undefined;
/** `socket` and `statsd`: a network address in `tcp` and `udp` mode, a Unix socket path otherwise. */
const socketAddress: Reader = (c) => {
  const mode = c.string('mode');
  if (mode === 'tcp' || mode === 'udp') c.hostPorts('address', mode === 'udp' ? 'UDP' : 'TCP');
};
const datadog =
  (prefix: string): Reader =>
  (c) =>
    c.url('endpoint', `https://${prefix}${c.string('site') ?? 'datadoghq.com'}`);
const mqtt: Reader = (c) => {
  const host = c.string('host');
  const port = c.value('port') ?? 1883;
  if (host === undefined) return;
  if (typeof port !== 'number') c.cannotPlace('port', JSON.stringify(port), 'it is not a port number');
  else c.hostPorts('host', 'TCP', port);
};
const kafka: Reader = (c) => c.hostPorts('bootstrap_servers', 'TCP', 9092);
const sqs: Reader = (c) => (c.value('endpoint') === undefined ? c.url('queue_url') : c.url('endpoint'));

/** Sinks by type: where each connects. A type missing here is reported as one that cannot be placed. */
const SINKS: Readonly<Record<string, Reader>> = {
  amqp: (c) => c.url('connection_string'),
  appsignal: endpointOr('https://appsignal-endpoint.net'),
  aws_cloudwatch_logs: (c) => c.aws('logs'),
  aws_cloudwatch_metrics: (c) => c.aws('monitoring'),
  aws_kinesis_firehose: (c) => c.aws('firehose'),
  aws_kinesis_streams: (c) => c.aws('kinesis'),
  aws_s3: (c) => c.aws('s3'),
  aws_sns: (c) => c.aws('sns'),
  aws_sqs: sqs,
  axiom: (c) => c.url('url', 'https://api.axiom.co'),
  azure_logs_ingestion: endpoint,
  blackhole: nowhere,
  clickhouse: endpoint,
  console: nowhere,
  databend: endpoint,
  datadog_events: datadog('api.'),
  datadog_logs: datadog('http-intake.logs.'),
  datadog_metrics: datadog('api.'),
  datadog_traces: datadog('trace.agent.'),
  doris: (c) => c.urls('endpoints'),
  elasticsearch: (c) => {
    c.url('endpoint');
    c.urls('endpoints');
  },
  file: nowhere,
  gcp_cloud_storage: endpointOr('https://storage.googleapis.com'),
  gcp_pubsub: endpointOr('https://pubsub.googleapis.com'),
  gcp_stackdriver_logs: (c) => c.url('endpoint', 'https://logging.googleapis.com'),
  gcp_stackdriver_metrics: (c) => c.url('endpoint', 'https://monitoring.googleapis.com'),
  greptimedb: endpoint,
  greptimedb_logs: endpoint,
  greptimedb_metrics: endpoint,
  honeycomb: endpointOr('https://api.honeycomb.io'),
  http: (c) => c.url('uri'),
  humio_logs: endpointOr('https://cloud.humio.com'),
  humio_metrics: endpointOr('https://cloud.humio.com'),
  influxdb_logs: endpoint,
  influxdb_metrics: endpoint,
  kafka,
  logdna: endpointOr('https://logs.mezmo.com'),
  loki: endpoint,
  mezmo: endpointOr('https://logs.mezmo.com'),
  mqtt,
  nats: (c) => c.url('url'),
  opentelemetry: (c) => c.url('protocol.uri'),
  papertrail: endpoint,
  postgres: endpoint,
  prometheus_exporter: nowhere,
  prometheus_remote_write: endpoint,
  pulsar: endpoint,
  redis: endpoint,
  socket: socketAddress,
  splunk_hec_logs: endpoint,
  splunk_hec_metrics: endpoint,
  statsd: socketAddress,
  unit_test: nowhere,
  unit_test_stream: nowhere,
  vector: (c) => {
    c.urls('routing.endpoints');
    c.url('address');
  },
  websocket: (c) => c.url('uri'),
  websocket_server: nowhere,
};

/** Sources by type: where each connects (sources that only listen connect nowhere). */
const SOURCES: Readonly<Record<string, Reader>> = {
  amqp: (c) => c.url('connection_string'),
  apache_metrics: (c) => c.urls('endpoints'),
  aws_ecs_metrics: endpointOr('http://169.254.170.2/v2'),
  aws_kinesis_firehose: nowhere,
  aws_s3: (c) => {
    c.aws('s3');
    c.url('sqs.queue_url');
  },
  aws_sqs: sqs,
  datadog_agent: nowhere,
  demo_logs: nowhere,
  dnstap: nowhere,
  docker_logs: (c) => {
    const host = c.string('docker_host');
    if (host !== undefined && !host.startsWith('unix://') && !host.startsWith('/')) {
      c.url('docker_host', undefined);
    }
  },
  eventstoredb_metrics: endpointOr('https://localhost:2113/stats'),
  exec: nowhere,
  file: nowhere,
  file_descriptor: nowhere,
  fluent: nowhere,
  gcp_pubsub: endpointOr('https://pubsub.googleapis.com'),
  heroku_logs: nowhere,
  host_metrics: nowhere,
  http: nowhere,
  http_client: endpoint,
  http_server: nowhere,
  internal_logs: nowhere,
  internal_metrics: nowhere,
  journald: nowhere,
  kafka,
  kubernetes_logs: (c) => {
    c.kubernetesApi = true;
  },
  logstash: nowhere,
  mongodb_metrics: (c) => c.urls('endpoints'),
  mqtt,
  nats: (c) => c.url('url'),
  nginx_metrics: (c) => c.urls('endpoints'),
  opentelemetry: nowhere,
  postgresql_metrics: (c) => c.urls('endpoints'),
  prometheus_pushgateway: nowhere,
  prometheus_remote_write: nowhere,
  prometheus_scrape: (c) => c.urls('endpoints'),
  pulsar: endpoint,
  redis: (c) => c.url('url'),
  socket: nowhere,
  splunk_hec: nowhere,
  static_metrics: nowhere,
  statsd: nowhere,
  stdin: nowhere,
  syslog: nowhere,
  unit_test: nowhere,
  unit_test_stream: nowhere,
  vector: nowhere,
  websocket: (c) => c.url('uri'),
};

/** Transforms connect nowhere, but for the one that reads the instance metadata service. */
const TRANSFORMS: Readonly<Record<string, Reader>> = {
  aws_ec2_metadata: endpointOr('http://169.254.169.254'),
};

/**
 * Where a component connects: its destinations with host and port (the URL scheme's port when the URL has none), and
 * every value that cannot be placed before Vector runs (a template or secret in the host, a type this table does not
 * know), each naming its option.
 */
export function connectionsOf(component: PipelineComponent): ComponentConnections {
  const c = new Collector(component.options);
  const table = component.class === 'sink' ? SINKS : component.class === 'source' ? SOURCES : TRANSFORMS;
  const read = Object.prototype.hasOwnProperty.call(table, component.type) ? table[component.type] : undefined;
  if (read) read(c);
  else if (component.class !== 'transform') {
    c.cannotPlace('type', undefined, `no endpoint options of a ${component.type} ${component.class} are known`);
  }
  return {
    component: labelOf(component),
    type: component.type,
    destinations: c.destinations,
    unplaceable: c.unplaceable,
    kubernetesApi: c.kubernetesApi,
  };
}

/** Sources that bind `address` (with `mode`, when they have one: no network address in `unix` modes). */
const LISTENING_SOURCES = new Set([
  'aws_kinesis_firehose',
  'datadog_agent',
  'dnstap',
  'fluent',
  'heroku_logs',
  'http',
  'http_server',
  'logstash',
  'prometheus_pushgateway',
  'prometheus_remote_write',
  'socket',
  'splunk_hec',
  'statsd',
  'syslog',
  'vector',
]);
const DEFAULT_ADDRESSES: Readonly<Record<string, string>> = {
  'source.splunk_hec': '0.0.0.0:8088',
  'sink.prometheus_exporter': '0.0.0.0:9598',
};

/**
 * What a component binds: the `address` of the sources that listen (both of `opentelemetry`'s), of
 * `prometheus_exporter` and `websocket_server`, and the listen address an escape-hatch component declared.
 */
export function listenersOfComponent(component: PipelineComponent): ComponentListeners {
  const addresses: ComponentListenAddress[] = [];
  const unplaceable: UnplaceableEndpoint[] = [];
  const o = component.options;
  const add = (option: string, value: unknown, protocol: TransportProtocol) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || TEMPLATE.test(value)) {
      unplaceable.push({ option, value: String(value), reason: 'it is not a literal host:port' });
      return;
    }
    const parsed = parseAddress(value);
    if (!parsed) unplaceable.push({ option, value, reason: 'it is not host:port' });
    else addresses.push({ option, address: value, ...parsed, protocol });
  };
  const mode = typeof o.mode === 'string' ? o.mode : undefined;
  const key = `${component.class}.${component.type}`;
  if (component.class === 'source' && component.type === 'opentelemetry') {
    add('grpc.address', (o.grpc as Record<string, unknown> | undefined)?.address, 'TCP');
    add('http.address', (o.http as Record<string, unknown> | undefined)?.address, 'TCP');
  } else if (
    (component.class === 'source' && LISTENING_SOURCES.has(component.type)) ||
    key === 'sink.prometheus_exporter' ||
    key === 'sink.websocket_server'
  ) {
    if (mode === undefined || mode === 'tcp' || mode === 'udp') {
      add('address', o.address ?? DEFAULT_ADDRESSES[key], mode === 'udp' ? 'UDP' : 'TCP');
    }
  } else {
    add('address', component.kind?.listenAddress(o), 'TCP');
  }
  return { component: labelOf(component), type: component.type, addresses, unplaceable };
}
