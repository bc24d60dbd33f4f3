import { type App, Yaml } from 'cdk8s';
import type { Manifest, ReferenceOptions } from '../k8s/object-references';
import { derivePrerequisites, type PrerequisiteHint } from '../k8s/prerequisites';
import { renderPrerequisitesFile } from '../k8s/prerequisites-file';

/** A cluster's manifests as `app.synthYaml()` writes them, and the prerequisites derived from the same objects. */
export interface SynthesizedCluster {
  /** The text of `<cluster>.k8s.yaml`. */
  readonly manifests: string;
  /** The text of `prerequisites.yaml`. */
  readonly prerequisites: string;
}

/**
 * Synthesizes the app once into its objects, and from them both the manifest text (what `app.synthYaml()` gives: each
 * chart's `toJson()`, which resolves and validates the app first, through cdk8s' own `Yaml.stringify`) and the
 * prerequisites file, so the list is derived from exactly what is written, without reading the YAML back.
 */
export function synthesizeCluster(
  cluster: string,
  app: App,
  hints: readonly PrerequisiteHint[],
  options: ReferenceOptions = {},
): SynthesizedCluster {
  const objects: Manifest[] = app.charts.flatMap((chart) => chart.toJson() as Manifest[]);
  return {
    manifests: Yaml.stringify(...objects),
    prerequisites: renderPrerequisitesFile({ cluster, prerequisites: derivePrerequisites(objects, hints, options) }),
  };
}
