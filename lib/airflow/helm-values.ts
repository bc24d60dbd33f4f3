import { stringify } from 'yaml';

/** The value of the official Apache Airflow Helm chart that holds the whole `pod_template_file.yaml`, as a string. */
export const HELM_POD_TEMPLATE_VALUE = 'podTemplate';

/**
 * Makes text survive Helm's `tpl`, which the chart runs over `podTemplate`: every `{{` becomes an action that prints
 * `{{`. A lone `}}` outside an action is plain text to Go templates.
 */
export function escapeHelmTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** A values fragment for the official Airflow chart, setting `podTemplate` to the given pod template YAML. */
export function helmPodTemplateValues(podTemplateYaml: string, header: readonly string[]): string {
  const values = stringify({ [HELM_POD_TEMPLATE_VALUE]: escapeHelmTemplate(podTemplateYaml) }, { lineWidth: 0 });
  return [...header.map((line) => `# ${line}`), values].join('\n');
}
