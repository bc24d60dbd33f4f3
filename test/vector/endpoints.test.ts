/** Where components connect and listen, read from their options: the data the network policies are derived from. */
import { describe, expect, it } from 'vitest';
import { connectionsOf, listenersOfComponent } from '../../lib/vector/endpoints';
import { VectorPipeline } from '../../lib/vector';

function component(cls: 'source' | 'sink' | 'transform', type: string, options: Record<string, unknown>) {
  const p = new VectorPipeline();
  if (cls === 'source') p.addCustomSource('c', { type, emits: ['logs'], options });
  else if (cls === 'sink') p.addCustomSink('c', { type, inputs: [], accepts: ['logs'], options });
  else p.addCustomTransform('c', { type, inputs: [], accepts: ['logs'], emits: 'passthrough', options });
  return p.allComponents[0];
}
const targets = (cls: 'source' | 'sink' | 'transform', type: string, options: Record<string, unknown>) =>
  connectionsOf(component(cls, type, options)).destinations.map((d) => `${d.target}/${d.protocol}`);

describe('connectionsOf', () => {
  it.each([
    ['sink', 'http', { uri: 'https://collector.example.com/ingest' }, ['https://collector.example.com:443/TCP']],
    ['sink', 'http', { uri: 'http://user:pw@10.0.0.5:8080/x' }, ['http://10.0.0.5:8080/TCP']],
    ['sink', 'loki', { endpoint: 'http://[2001:db8::1]' }, ['http://[2001:db8::1]:80/TCP']],
    [
      'sink',
      'kafka',
      { bootstrap_servers: 'a.example.com:9093, b.example.com' },
      ['a.example.com:9093/TCP', 'b.example.com:9092/TCP'],
    ],
    ['sink', 'aws_s3', { region: 'eu-central-1' }, ['https://s3.eu-central-1.amazonaws.com:443/TCP']],
    [
      'sink',
      'aws_s3',
      { region: 'eu-central-1', endpoint: 'https://fsn1.your-objectstorage.com' },
      ['https://fsn1.your-objectstorage.com:443/TCP'],
    ],
    [
      'sink',
      'aws_cloudwatch_logs',
      { auth: { region: 'us-east-1' } },
      ['https://logs.us-east-1.amazonaws.com:443/TCP'],
    ],
    [
      'sink',
      'elasticsearch',
      { endpoints: ['https://es-1:9200', 'https://es-2:9200'] },
      ['https://es-1:9200/TCP', 'https://es-2:9200/TCP'],
    ],
    [
      'sink',
      'vector',
      { routing: { endpoints: ['https://vector.example.com:6000'] } },
      ['https://vector.example.com:6000/TCP'],
    ],
    ['sink', 'socket', { mode: 'udp', address: '198.51.100.1:514' }, ['198.51.100.1:514/UDP']],
    ['sink', 'socket', { mode: 'unix_stream', path: '/run/x.sock' }, []],
    ['sink', 'statsd', { mode: 'tcp', address: 'statsd.example.com:8125' }, ['statsd.example.com:8125/TCP']],
    ['sink', 'datadog_logs', {}, ['https://http-intake.logs.datadoghq.com:443/TCP']],
    ['sink', 'redis', { endpoint: 'redis://cache.example.com/0' }, ['redis://cache.example.com:6379/TCP']],
    ['sink', 'console', {}, []],
    ['source', 'prometheus_scrape', { endpoints: ['http://10.0.0.9:9100/metrics'] }, ['http://10.0.0.9:9100/TCP']],
    ['source', 'http_client', { endpoint: 'https://api.example.com/v1' }, ['https://api.example.com:443/TCP']],
    ['source', 'http_server', { address: '0.0.0.0:8080' }, []],
    ['transform', 'remap', {}, []],
    ['transform', 'aws_ec2_metadata', {}, ['http://169.254.169.254:80/TCP']],
  ] as const)('%s %s %j', (cls, type, options, expected) => {
    expect(targets(cls, type, options)).toEqual(expected);
  });

  it('reports what it cannot place, naming the option', () => {
    const unplaceable = (type: string, options: Record<string, unknown>) =>
      connectionsOf(component('sink', type, options)).unplaceable;
    expect(unplaceable('http', { uri: 'https://{{ tenant }}.example.com/' })).toEqual([
      {
        option: 'uri',
        value: 'https://{{ tenant }}.example.com/',
        reason: 'its host is a template or secret, filled in only when Vector runs',
      },
    ]);
    expect(unplaceable('http', { uri: 'https://example.com/{{ tenant }}' })).toEqual([]);
    expect(unplaceable('kafka', { bootstrap_servers: '${BROKERS}' })[0].option).toBe('bootstrap_servers');
    expect(unplaceable('tcp_thing', {})).toEqual([
      { option: 'type', value: undefined, reason: 'no endpoint options of a tcp_thing sink are known' },
    ]);
    expect(connectionsOf(component('source', 'kubernetes_logs', {})).kubernetesApi).toBe(true);
  });
});

describe('listenersOfComponent', () => {
  it('reads the address of listening sources and sinks, with UDP for udp mode and none for unix', () => {
    const listen = (cls: 'source' | 'sink', type: string, options: Record<string, unknown>) =>
      listenersOfComponent(component(cls, type, options)).addresses.map((a) => `${a.port}/${a.protocol}`);
    expect(listen('source', 'http_server', { address: '0.0.0.0:8080' })).toEqual(['8080/TCP']);
    expect(listen('source', 'syslog', { address: '0.0.0.0:514', mode: 'udp' })).toEqual(['514/UDP']);
    expect(listen('source', 'syslog', { mode: 'unix', path: '/run/syslog' })).toEqual([]);
    expect(listen('source', 'splunk_hec', {})).toEqual(['8088/TCP']);
    expect(listen('sink', 'prometheus_exporter', {})).toEqual(['9598/TCP']);
    expect(
      listen('source', 'opentelemetry', { grpc: { address: '0.0.0.0:4317' }, http: { address: '0.0.0.0:4318' } }),
    ).toEqual(['4317/TCP', '4318/TCP']);
    expect(listen('sink', 'http', { uri: 'https://x' })).toEqual([]);
  });
});
