/*
 * The inventory's agent.journald and agent.multiline reach the agents, and bad values name the file, the cluster and
 * the field.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { synthesizeFleet } from '../../lib/fleet';
import { DEV, exampleFleet, exampleYamlError, inventoryErrorMessage } from './fixtures';

const FILE = 'fleet.yaml';

interface Manifest {
  readonly kind: string;
  readonly data?: Record<string, string>;
  readonly spec?: { readonly template?: { readonly spec: { containers: { image: string }[] } } };
}

function devObjects(agent: Record<string, unknown>): Manifest[] {
  const outputs = synthesizeFleet(exampleFleet({ 'clusters.2.agent': agent }), FILE);
  const out = outputs.find((o) => o.cluster === 'dev');
  if (!out) throw new Error('no output for dev');
  return parseAllDocuments(out.files['dev.k8s.yaml']).map((d) => d.toJS() as Manifest);
}
const agentConfig = (objects: Manifest[]) =>
  objects.find((o) => o.kind === 'ConfigMap' && o.data?.['vector.yaml']?.includes('kubernetes_logs'))?.data?.[
    'vector.yaml'
  ] ?? '';
const agentImage = (objects: Manifest[]) =>
  objects.find((o) => o.kind === 'DaemonSet')?.spec?.template?.spec.containers[0].image;

describe('agent.journald and agent.multiline in the inventory', () => {
  it('journald is on by default, with the -debian image', () => {
    const objects = devObjects({});
    expect(agentConfig(objects)).toContain('type: journald');
    expect(agentImage(objects)).toBe('timberio/vector:0.57.0-debian');
  });

  it('journald: false and multiline: true reach the agent', () => {
    const objects = devObjects({ journald: false, multiline: true });
    expect(agentConfig(objects)).not.toContain('type: journald');
    expect(agentConfig(objects)).toContain('merge_multiline:');
    expect(agentImage(objects)).toBe('timberio/vector:0.57.0-distroless-libc');
  });

  it('refuses a journald that is neither a boolean nor an object', () => {
    expect(exampleYamlError(FILE, { 'clusters.2.agent': { journald: 'yes' } })).toContain(`${DEV}: agent.journald`);
  });

  it('refuses an unknown multiline language', () => {
    expect(exampleYamlError(FILE, { 'clusters.2.agent': { multiline: { languages: ['ruby'] } } })).toContain(
      `${DEV}: agent.multiline.languages[0]`,
    );
  });

  it('refuses a unit without its suffix, naming the cluster and the field', () => {
    const message = inventoryErrorMessage(() =>
      synthesizeFleet(exampleFleet({ 'clusters.2.agent': { journald: { units: ['kubelet'] } } }), FILE),
    );
    expect(message).toContain(DEV);
    expect(message).toContain('invalid journald.units[0] "kubelet": a systemd unit name with its suffix');
  });
});
