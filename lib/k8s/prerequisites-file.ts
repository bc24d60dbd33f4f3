import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { Prerequisite } from './prerequisites';

/** The machine-readable list of a folder's prerequisites, beside its manifests (not a manifest itself). */
export const PREREQUISITES_FILE = 'prerequisites.yaml';

/** The prerequisites of one folder as written to {@link PREREQUISITES_FILE}. */
export interface PrerequisitesFile {
  /** The cluster (folder) whose manifests need them. */
  readonly cluster: string;
  readonly prerequisites: readonly Prerequisite[];
}

/** The file's text: a comment saying what it is, then `cluster` and `prerequisites`, the core group left out. */
export function renderPrerequisitesFile(file: PrerequisitesFile): string {
  const entries = file.prerequisites.map((p) => ({
    kind: p.kind,
    ...(p.group ? { group: p.group } : {}),
    ...(p.namespace ? { namespace: p.namespace } : {}),
    name: p.name,
    ...(p.keys ? { keys: [...p.keys] } : {}),
    ...(p.versions ? { versions: [...p.versions] } : {}),
    why: [...p.why],
    how: p.how,
  }));
  return [
    `# Written by cdk8s-vector-fleet: what the manifests of ${file.cluster} refer to but do not create, derived from`,
    '# them at synth. Provide each before `kubectl apply -k .`; `npm run preflight -- ' +
      `${file.cluster} [--context NAME]\` checks them`,
    '# in the cluster. Not a manifest: the kustomization leaves it out.',
    stringify({ cluster: file.cluster, prerequisites: entries }, { lineWidth: 0 }),
  ].join('\n');
}

const entrySchema = z.strictObject({
  kind: z.string().min(1),
  group: z.string().optional(),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1),
  keys: z.array(z.string()).optional(),
  versions: z.array(z.string()).optional(),
  why: z.array(z.string()),
  how: z.string(),
});
const fileSchema = z.strictObject({ cluster: z.string().min(1), prerequisites: z.array(entrySchema) });

/** Reads a {@link PREREQUISITES_FILE}; an unreadable or malformed one fails naming `path`, the field and the problem. */
export function parsePrerequisitesFile(text: string, path: string): PrerequisitesFile {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(
      `${path}: not YAML (${(error as Error).message.split('\n')[0]}); run \`npm run synth\` to write it again`,
      { cause: error },
    );
  }
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`);
    throw new Error(
      `${path}: not a prerequisites file (${problems.join('; ')}); run \`npm run synth\` to write it again`,
    );
  }
  return {
    cluster: result.data.cluster,
    prerequisites: result.data.prerequisites.map(({ group, ...rest }) => ({ ...rest, group: group ?? '' })),
  };
}
