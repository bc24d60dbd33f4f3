/**
 * The inventory at its edges, as fuzzing found them: YAML aliases (a fleet's few hundred, an alias bomb), values too
 * long to quote, ports and numbers at the ends of their ranges, annotations near the API server's limit, malformed
 * image references and the longest heartbeat intervals. Each is refused with the file, the cluster and the inventory
 * field, or accepted and synthesized.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseFleetYaml, synthesizeFleet } from '../../lib/fleet';
import { DEV, exampleCluster, exampleYaml, inventoryErrorMessage, inventoryReport, MONITORING } from './fixtures';

const FILE = 'inventories/fleet.yaml';

const report = (...problems: string[]) => inventoryReport(FILE, ...problems);

const textError = (text: string) => inventoryErrorMessage(() => parseFleetYaml(text, FILE));
const yamlError = (changes: Record<string, unknown>) => textError(exampleYaml(changes));
/** Loaded and synthesized, as `npm run synth` does: the loader must refuse what a construct would. */
const synthError = (changes: Record<string, unknown>) =>
  inventoryErrorMessage(() => synthesizeFleet(parseFleetYaml(exampleYaml(changes), FILE), FILE));

/** The monitoring cluster of the example, then `sources` source clusters sharing five anchored values of the first. */
function fleetSharingValues(sources: number): string {
  const shared = ['environment', 'region', 'apiServer', 'nodeCidrs', 'egressCidrs'];
  const clusters = Array.from({ length: sources }, (_, i) => {
    const own = [`  - name: source-${i}`, '    role: source'];
    if (i === 0) {
      return [
        ...own,
        '    environment: &environment development',
        '    region: &region fsn1',
        '    apiServer: &apiServer { cidrs: [10.30.0.2/32], port: 6443 }',
        '    nodeCidrs: &nodeCidrs [10.30.0.0/24]',
        '    egressCidrs: &egressCidrs [10.30.0.0/24]',
      ].join('\n');
    }
    return [...own, ...shared.map((key) => `    ${key}: *${key}`)].join('\n');
  });
  // Without the example's outageBudget, which would need a logRate on each of them.
  return `${stringify({ clusters: [exampleCluster(0, { outageBudget: undefined })] })}${clusters.join('\n')}\n`;
}

const bombMessage = (anchor: string) =>
  `not valid YAML: at the alias *${anchor}, the value of &${anchor} appears more than 1000 times (counting the values ` +
  'of the aliases inside it), the shape of an alias bomb: write the values out, or share fewer';

describe('YAML aliases', () => {
  it('accepts the aliases a fleet uses: 60 source clusters sharing five values, 295 aliases', () => {
    const fleet = parseFleetYaml(fleetSharingValues(60), FILE);
    expect(fleet.clusters).toHaveLength(61);
    expect(fleet.clusters[60]).toMatchObject({ region: 'fsn1', apiServer: { cidrs: ['10.30.0.2/32'], port: 6443 } });
  });

  it('accepts one value appearing 1000 times (its anchor and 999 aliases), and refuses the next alias at its line', () => {
    /** The example with management's egress CIDR anchored, and `aliases` more entries that repeat it. */
    const repeated = (aliases: number) =>
      exampleYaml().replace(
        /egressCidrs:\n {6}- (.*)\n/,
        (_all, cidr: string) => `egressCidrs:\n      - &cidr ${cidr}\n${'      - *cidr\n'.repeat(aliases)}`,
      );
    expect(parseFleetYaml(repeated(999), FILE).clusters[1]).toMatchObject({ name: 'management' });
    const text = repeated(1000);
    const line = text.split('\n').lastIndexOf('      - *cidr') + 1;
    expect(textError(text)).toBe(report(`line ${line}, column 9: ${bombMessage('cidr')}`));
  });

  it('refuses an alias bomb at the alias that crosses the limit, before anything expands it', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = levels.map((name, i) => {
      const items = Array<string>(9).fill(i === 0 ? '"lol"' : `*${levels[i - 1]}`);
      return `${name}: &${name} [${items.join(', ')}]`;
    });
    // d's value stands for 729 values (9 x 9 x 9): with the anchor's own, its first alias, in e, makes 1458.
    expect(textError(`${bomb.join('\n')}\nclusters: *i\n`)).toBe(report(`line 5, column 8: ${bombMessage('d')}`));
  });

  it('refuses an alias without an anchor before it, at its line and column', () => {
    expect(textError('monitoringCluster: *monitoring\nclusters: []\n')).toBe(
      report(
        'line 1, column 20: not valid YAML: the alias *monitoring has no anchor &monitoring before it: an anchor ' +
          'must come first in the file',
      ),
    );
  });
});

describe('long values', () => {
  const long = 'x'.repeat(1_100_000);
  const cut = `"${'x'.repeat(60)}…" (1100000 characters)`;

  it('quotes a 1.1 MB value cut to its first 60 characters and its length, after the field', () => {
    expect(yamlError({ 'clusters.2.region': long })).toBe(
      report(
        `${DEV}: region: ${cut}: use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
      ),
    );
    expect(yamlError({ 'clusters.2.egressCidrs': [long] })).toBe(
      report(`${DEV}: egressCidrs[0]: ${cut}: use a CIDR block such as "10.0.0.0/16" or "2001:db8::/32"`),
    );
  });

  it('names a cluster with a 1.1 MB name by its index, and quotes the name cut', () => {
    expect(yamlError({ 'clusters.2.name': long })).toBe(
      report(
        `clusters[2]: name: ${cut}: must be a DNS label of at most 51 characters: lowercase letters, digits and "-", ` +
          "starting and ending alphanumeric (a source cluster's agents present the client certificate " +
          '"vector-agent.<name>", whose common name X.509 limits to 64 characters)',
      ),
    );
  });

  it('cuts a 1.1 MB unknown key in the field path', () => {
    expect(yamlError({ [`clusters.2.${long}`]: 1 })).toBe(
      report(`${DEV}: ${'x'.repeat(60)}… (1100000 characters): unknown key`),
    );
  });

  it('shows values up to 256 characters whole', () => {
    const region = 'r'.repeat(254);
    expect(yamlError({ 'clusters.2.region': region })).toBe(
      report(
        `${DEV}: region: "${region}": use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
      ),
    );
  });
});

describe('ports in URLs', () => {
  const portRule = (url: string, port: number) => `"${url}": the URL's port must be from 1 to 65535, not ${port}`;

  it('refuses port 0 in every endpoint, at the inventory field that holds it', () => {
    for (const [field, url] of [
      ['loki.endpoint', 'http://loki-gateway.monitoring.svc:0'],
      ['loki.external.endpoint', 'https://loki.monitoring.example.com:0'],
      ['remoteWrite.endpoint', 'http://prometheus-operated.monitoring.svc:0/api/v1/write'],
      ['remoteWrite.external.endpoint', 'https://prometheus.monitoring.example.com:0/api/v1/write'],
    ]) {
      // Through synthesis too: the network policies' port check is never where it is reported.
      expect(synthError({ [`clusters.0.${field}`]: url })).toBe(report(`${MONITORING}: ${field}: ${portRule(url, 0)}`));
    }
  });

  it('refuses a port over 65535 as a port, not as "not a URL"', () => {
    const url = 'https://loki.monitoring.example.com:65536';
    expect(yamlError({ 'clusters.0.loki.external.endpoint': url })).toBe(
      report(`${MONITORING}: loki.external.endpoint: ${portRule(url, 65536)}`),
    );
    expect(() =>
      parseFleetYaml(exampleYaml({ 'clusters.0.loki.external.endpoint': 'https://loki.example.com:65535' }), FILE),
    ).not.toThrow();
  });
});

describe('labels and annotations', () => {
  const KEY_RULE =
    "the key must be a Kubernetes label key (an optional DNS-subdomain prefix and '/', then at most 63 " +
    "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)";
  const VALUE_RULE =
    "must be a Kubernetes label value (at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)";

  it('refuses load-balancer annotations over 256 KiB in total, keys and values counted in bytes', () => {
    expect(
      synthError({ 'clusters.0.aggregator.loadBalancerAnnotations': { 'example.com/big': 'x'.repeat(300_000) } }),
    ).toBe(
      report(
        `${MONITORING}: aggregator.loadBalancerAnnotations: the annotations take 300015 bytes (keys and values ` +
          'together); the API server accepts at most 262144 (256 KiB) on one object',
      ),
    );
    const fits = { 'example.com/big': 'x'.repeat(262_144 - 'example.com/big'.length) };
    expect(() =>
      synthesizeFleet(
        parseFleetYaml(exampleYaml({ 'clusters.0.aggregator.loadBalancerAnnotations': fits }), FILE),
        FILE,
      ),
    ).not.toThrow();
  });

  it('refuses an annotation key that is not a label key, whatever its value', () => {
    expect(
      yamlError({
        'clusters.0.aggregator.loadBalancerAnnotations': {
          'load balancer/location': 'fsn1',
          'Hetzner.cloud/location': 'fsn1',
          'load-balancer.hetzner.cloud/name': 'any value: spaces, "quotes" and / are fine',
        },
      }),
    ).toBe(
      report(
        `${MONITORING}: aggregator.loadBalancerAnnotations.load balancer/location: ${KEY_RULE}`,
        `${MONITORING}: aggregator.loadBalancerAnnotations.Hetzner.cloud/location: ${KEY_RULE}`,
      ),
    );
  });

  it('refuses label keys and values the API server would, in every label map, beside type errors', () => {
    expect(
      yamlError({
        'clusters.0.loki.pods.podLabels': { 'app name': 'loki', tier: 'log store', replicas: 3 },
        'clusters.0.prometheus': { ruleLabels: { release: `${'r'.repeat(64)}` } },
        'clusters.2.dns': { namespace: 'kube-system', podLabels: { 'k8s-app/': 'kube-dns', empty: '' } },
      }),
    ).toBe(
      report(
        `${MONITORING}: prometheus.ruleLabels.release: "${'r'.repeat(64)}": ${VALUE_RULE}`,
        `${MONITORING}: loki.pods.podLabels.replicas: 3: must be a string, not a number`,
        `${MONITORING}: loki.pods.podLabels.app name: ${KEY_RULE}`,
        `${MONITORING}: loki.pods.podLabels.tier: "log store": ${VALUE_RULE}`,
        `${DEV}: dns.podLabels.k8s-app/: ${KEY_RULE}`,
      ),
    );
  });
});

describe('image references', () => {
  const IMAGE = 'clusters.2.airflow.airflowImage';

  it('refuses an image reference with upper case, naming the lower-case form', () => {
    expect(yamlError({ [IMAGE]: 'Apache/Airflow:2.10.5' })).toBe(
      report(
        `${DEV}: airflow.airflowImage: "Apache/Airflow:2.10.5": not an image reference: the repository ` +
          '"Apache/Airflow" must be lower case: "apache/airflow"; e.g. "apache/airflow:2.10.5"',
      ),
    );
  });

  it('refuses a malformed tag, digest or registry', () => {
    expect(yamlError({ [IMAGE]: 'apache/airflow:.2.10.5' })).toBe(
      report(
        `${DEV}: airflow.airflowImage: "apache/airflow:.2.10.5": not an image reference: the tag ".2.10.5" is not ` +
          'a tag: 1 to 128 letters, digits, "_", "." and "-", not starting with "." or "-"; e.g. "apache/airflow:2.10.5"',
      ),
    );
    expect(yamlError({ [IMAGE]: 'apache/airflow@sha256:abc' })).toBe(
      report(
        `${DEV}: airflow.airflowImage: "apache/airflow@sha256:abc": not an image reference: the digest ` +
          '"sha256:abc" is not "sha256:" followed by 64 lower-case hex digits; e.g. "apache/airflow:2.10.5"',
      ),
    );
    expect(yamlError({ [IMAGE]: 'registry.example.com:0/apache/airflow:2.10.5' })).toBe(
      report(
        `${DEV}: airflow.airflowImage: "registry.example.com:0/apache/airflow:2.10.5": not an image reference: the ` +
          'registry\'s port 0 is not from 1 to 65535; e.g. "apache/airflow:2.10.5"',
      ),
    );
  });

  it('accepts a registry with a port, and a tag with a digest', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    for (const image of ['registry.example.com:5000/apache/airflow:2.10.5', `apache/airflow:2.10.5@${digest}`]) {
      expect(() => synthesizeFleet(parseFleetYaml(exampleYaml({ [IMAGE]: image }), FILE), FILE)).not.toThrow();
    }
  });
});

describe('numbers', () => {
  it('says NaN and infinity are not finite numbers, showing them as themselves', () => {
    expect(
      yamlError({
        heartbeatIntervalSeconds: NaN,
        'clusters.0.aggregator.replicas': Infinity,
        'clusters.2.apiServer.port': -Infinity,
      }),
    ).toBe(
      report(
        'fleet: heartbeatIntervalSeconds: NaN: must be a finite number, not NaN',
        `${MONITORING}: aggregator.replicas: Infinity: must be a finite number, not infinite`,
        `${DEV}: apiServer.port: -Infinity: must be a finite number, not infinite`,
      ),
    );
    // As YAML writes them.
    expect(exampleYaml({ heartbeatIntervalSeconds: NaN })).toContain('heartbeatIntervalSeconds: .nan');
  });
});

describe('the heartbeat interval and the alert', () => {
  /** The monitoring cluster's VectorHeartbeatMissing: how far back a cluster counts as known. */
  const seenWindow = (interval: number) => {
    const [monitoring] = synthesizeFleet(
      parseFleetYaml(exampleYaml({ heartbeatIntervalSeconds: interval }), FILE),
      FILE,
    );
    return /max_over_time\(vector_heartbeat_total\{[^}]*\}\[(\w+)\]\)/.exec(
      monitoring.files['monitoring.k8s.yaml'],
    )?.[1];
  };

  it('keeps a day for intervals up to 8640 s, then 10 intervals: every interval up to a day synthesizes', () => {
    expect(seenWindow(120)).toBe('24h');
    expect(seenWindow(8640)).toBe('24h');
    expect(seenWindow(34560)).toBe('96h');
    expect(seenWindow(86400)).toBe('240h');
  });
});
