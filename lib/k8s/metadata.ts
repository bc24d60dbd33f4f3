/*
 * The syntax the API server enforces on label and annotation keys and values (apimachinery's
 * ValidateLabels and ValidateAnnotations), as pure checks: each returns what is wrong, without the value, or
 * undefined, so that a construct prop and an inventory field report it with their own name.
 */

import type { IConstruct } from 'constructs';
import { describeValue, propError } from './prop-errors';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The API server's limit on one object's annotations, keys and values together, in bytes. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export const LABEL_KEY_RULE =
  "must be a Kubernetes label key (an optional DNS-subdomain prefix and '/', then at most 63 alphanumerics, " +
  "'-', '_' or '.', starting and ending with an alphanumeric)";
export const LABEL_VALUE_RULE =
  "must be a Kubernetes label value (at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)";

/** A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain of at most 253, the name at most 63. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  return prefixOk && name.length <= 63 && KEY_NAME.test(name) ? undefined : LABEL_KEY_RULE;
}

/** A label value: at most 63 characters of the key name's kind, or empty. */
export function labelValueProblem(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value) ? undefined : LABEL_VALUE_RULE;
}

/** Bytes of UTF-8, as the API server counts them. */
const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** The size of an object's annotations against {@link MAX_ANNOTATIONS_BYTES}. */
export function annotationsSizeProblem(annotations: Readonly<Record<string, string>>): string | undefined {
  const bytes = Object.entries(annotations).reduce((sum, [k, v]) => sum + byteLength(k) + byteLength(v), 0);
  return bytes <= MAX_ANNOTATIONS_BYTES
    ? undefined
    : `the annotations take ${bytes} bytes (keys and values together); the API server accepts at most ` +
        `${MAX_ANNOTATIONS_BYTES} (256 KiB) on one object`;
}

/** Every problem of a label map, each naming its key. */
export function checkLabels(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).flatMap(([key, value]) => {
    const problems: string[] = [];
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problems.push(`key ${describeValue(key)}: ${keyProblem}`);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) problems.push(`value of ${describeValue(key)}: ${valueProblem}`);
    return problems;
  });
}

/** Every problem of an annotation map: its keys' syntax (values are any string) and its total size. */
export function checkAnnotations(annotations: Readonly<Record<string, string>>): string[] {
  const problems = Object.keys(annotations).flatMap((key) => {
    const problem = labelKeyProblem(key);
    return problem ? [`key ${describeValue(key)}: ${problem}`] : [];
  });
  const size = annotationsSizeProblem(annotations);
  return size ? [...problems, size] : problems;
}

/** Checks an annotation map a user gives as a prop: key syntax and 256 KiB in total, as the API server would. */
export function checkAnnotationsProp(
  scope: IConstruct,
  prop: string,
  annotations: Readonly<Record<string, string>> | undefined,
): void {
  if (annotations === undefined) return;
  for (const [key, value] of Object.entries(annotations)) {
    const problem = labelKeyProblem(key);
    if (problem) throw propError(scope, `${prop} key`, key, problem);
    if (typeof value !== 'string') throw propError(scope, `${prop}[${describeValue(key)}]`, value, 'must be a string');
  }
  const size = annotationsSizeProblem(annotations);
  if (size) throw propError(scope, prop, `${Object.keys(annotations).length} annotations`, size);
}
