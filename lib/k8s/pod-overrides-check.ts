import type { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { checkAnnotations, checkLabels, labelKeyProblem } from './metadata';
import {
  LABEL_SELECTOR_OPERATORS,
  NODE_SELECTOR_OPERATORS,
  type LabelSelector,
  type NodeSelectorTerm,
  type PodAffinityRules,
  type PodAffinityTerm,
  type PodOverrides,
  SPREAD_POLICIES,
  TAINT_EFFECTS,
  TOLERATION_OPERATORS,
  type Toleration,
  type TopologySpreadConstraint,
  WHEN_UNSATISFIABLE,
  type WorkloadAffinity,
} from './pod-overrides';
import { describeValue, propError } from './prop-errors';
import type { PodSecurityLevel } from './security';

/** One thing wrong with a field of {@link PodOverrides}: its path below the prop, the value, and what is allowed. */
export interface OverrideProblem {
  readonly path: string;
  readonly value: unknown;
  readonly problem: string;
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes' IsEnvVarName: letters, digits, '_', '-' and '.', not starting with a digit. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
export const DNS_SUBDOMAIN_RULE = 'must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253';
export const ENV_NAME_RULE =
  'must be an env var name: letters, digits, "_", "-" and ".", not starting with a digit ([-._a-zA-Z][-._a-zA-Z0-9]*), ' +
  'not "." and not starting with ".."';
/** apimachinery's IsEnvVarName: the pattern, and not "." nor starting with ".." (hasChDirPrefix). */
const isEnvName = (name: unknown): boolean =>
  typeof name === 'string' && ENV_NAME.test(name) && name !== '.' && !name.startsWith('..');
/** The volume types Pod Security "restricted" allows (every other type, hostPath first, is refused). */
export const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

const oneOf = (values: readonly string[]) => `use one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

export function dnsSubdomainProblem(value: unknown): string | undefined {
  return typeof value === 'string' && DNS_SUBDOMAIN.test(value) ? undefined : DNS_SUBDOMAIN_RULE;
}

/** The problems of one toleration, as the API server checks it (ValidateTolerations). */
export function tolerationProblems(t: Toleration, at: string): OverrideProblem[] {
  if (!isObject(t)) return [{ path: at, value: t, problem: 'must be a mapping such as { key, operator, effect }' }];
  const out: OverrideProblem[] = [];
  const operator = t.operator ?? 'Equal';
  if (!(TOLERATION_OPERATORS as readonly string[]).includes(operator)) {
    out.push({ path: `${at}.operator`, value: t.operator, problem: oneOf(TOLERATION_OPERATORS) });
  }
  if (t.effect !== undefined && !(TAINT_EFFECTS as readonly string[]).includes(t.effect)) {
    out.push({ path: `${at}.effect`, value: t.effect, problem: `${oneOf(TAINT_EFFECTS)}, or leave it out for all` });
  }
  if (t.key !== undefined && t.key !== '' && labelKeyProblem(t.key)) {
    out.push({ path: `${at}.key`, value: t.key, problem: labelKeyProblem(t.key) as string });
  }
  if ((t.key ?? '') === '' && operator !== 'Exists') {
    out.push({ path: `${at}.operator`, value: t.operator, problem: 'must be "Exists" when key is empty' });
  }
  if (operator === 'Exists' && (t.value ?? '') !== '') {
    out.push({ path: `${at}.value`, value: t.value, problem: 'must be empty with operator "Exists"' });
  }
  if (t.tolerationSeconds !== undefined) {
    if (!Number.isInteger(t.tolerationSeconds)) {
      out.push({ path: `${at}.tolerationSeconds`, value: t.tolerationSeconds, problem: 'use a whole number' });
    } else if (t.effect !== 'NoExecute') {
      out.push({
        path: `${at}.tolerationSeconds`,
        value: t.tolerationSeconds,
        problem: 'applies to effect "NoExecute" only: set effect: NoExecute',
      });
    }
  }
  return out;
}

function selectorProblems(s: LabelSelector | undefined, at: string): OverrideProblem[] {
  if (s === undefined) return [];
  if (!isObject(s)) return [{ path: at, value: s, problem: 'must be a mapping of matchLabels and matchExpressions' }];
  const out: OverrideProblem[] = checkLabels(s.matchLabels ?? {}).map((problem) => ({
    path: `${at}.matchLabels`,
    value: s.matchLabels,
    problem,
  }));
  (s.matchExpressions ?? []).forEach((e, i) =>
    out.push(...requirementProblems(e, `${at}.matchExpressions[${i}]`, LABEL_SELECTOR_OPERATORS)),
  );
  return out;
}

function requirementProblems(
  e: { key: string; operator: string; values?: readonly string[] },
  at: string,
  operators: readonly string[],
): OverrideProblem[] {
  if (!isObject(e)) return [{ path: at, value: e, problem: 'must be a mapping of key, operator and values' }];
  const out: OverrideProblem[] = [];
  if (typeof e.key !== 'string' || labelKeyProblem(e.key)) {
    out.push({ path: `${at}.key`, value: e.key, problem: labelKeyProblem(String(e.key)) ?? 'must be a label key' });
  }
  const values = e.values ?? [];
  if (!operators.includes(e.operator)) {
    out.push({ path: `${at}.operator`, value: e.operator, problem: oneOf(operators) });
  } else if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
    out.push({
      path: `${at}.values`,
      value: e.values,
      problem: `give at least one value with operator "${e.operator}"`,
    });
  } else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
    out.push({ path: `${at}.values`, value: e.values, problem: `must be empty with operator "${e.operator}"` });
  } else if ((e.operator === 'Gt' || e.operator === 'Lt') && (values.length !== 1 || !/^-?\d+$/.test(values[0]))) {
    out.push({
      path: `${at}.values`,
      value: e.values,
      problem: `give exactly one whole number with operator "${e.operator}"`,
    });
  }
  return out;
}

function nodeTermProblems(term: NodeSelectorTerm, at: string): OverrideProblem[] {
  if (!isObject(term))
    return [{ path: at, value: term, problem: 'must be a mapping of matchExpressions and matchFields' }];
  return [
    ...(term.matchExpressions ?? []).flatMap((e, i) =>
      requirementProblems(e, `${at}.matchExpressions[${i}]`, NODE_SELECTOR_OPERATORS),
    ),
    ...(term.matchFields ?? []).flatMap((e, i) =>
      requirementProblems(e, `${at}.matchFields[${i}]`, NODE_SELECTOR_OPERATORS),
    ),
  ];
}

function weightProblems(weight: number, at: string): OverrideProblem[] {
  return Number.isInteger(weight) && weight >= 1 && weight <= 100
    ? []
    : [{ path: `${at}.weight`, value: weight, problem: 'use a whole number from 1 to 100' }];
}

function podTermProblems(term: PodAffinityTerm, at: string): OverrideProblem[] {
  if (!isObject(term)) return [{ path: at, value: term, problem: 'must be a mapping with topologyKey' }];
  const out: OverrideProblem[] = [];
  if (typeof term.topologyKey !== 'string' || labelKeyProblem(term.topologyKey)) {
    out.push({
      path: `${at}.topologyKey`,
      value: term.topologyKey,
      problem: 'must be a node label key, e.g. "kubernetes.io/hostname"',
    });
  }
  (term.namespaces ?? []).forEach((ns, i) => {
    if (typeof ns !== 'string' || !DNS_LABEL.test(ns)) {
      out.push({ path: `${at}.namespaces[${i}]`, value: ns, problem: 'must be a namespace name (a DNS label)' });
    }
  });
  return [
    ...out,
    ...selectorProblems(term.labelSelector, `${at}.labelSelector`),
    ...selectorProblems(term.namespaceSelector, `${at}.namespaceSelector`),
  ];
}

function podRulesProblems(rules: PodAffinityRules | undefined, at: string): OverrideProblem[] {
  if (rules === undefined) return [];
  return [
    ...(rules.requiredDuringSchedulingIgnoredDuringExecution ?? []).flatMap((t, i) =>
      podTermProblems(t, `${at}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`),
    ),
    ...(rules.preferredDuringSchedulingIgnoredDuringExecution ?? []).flatMap((p, i) => {
      const here = `${at}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      return [...weightProblems(p?.weight, here), ...podTermProblems(p?.podAffinityTerm, `${here}.podAffinityTerm`)];
    }),
  ];
}

/** The problems of affinity rules: operators, values, weights and topology keys. */
export function affinityProblems(a: WorkloadAffinity, at: string): OverrideProblem[] {
  if (!isObject(a))
    return [{ path: at, value: a, problem: 'must be a mapping of nodeAffinity, podAffinity, podAntiAffinity' }];
  const node = a.nodeAffinity;
  return [
    ...(node?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).flatMap((t, i) =>
      nodeTermProblems(t, `${at}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`),
    ),
    ...(node?.preferredDuringSchedulingIgnoredDuringExecution ?? []).flatMap((p, i) => {
      const here = `${at}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      return [...weightProblems(p?.weight, here), ...nodeTermProblems(p?.preference, `${here}.preference`)];
    }),
    ...podRulesProblems(a.podAffinity, `${at}.podAffinity`),
    ...podRulesProblems(a.podAntiAffinity, `${at}.podAntiAffinity`),
  ];
}

/** The problems of one topology spread constraint (ValidateTopologySpreadConstraints). */
export function topologySpreadProblems(c: TopologySpreadConstraint, at: string): OverrideProblem[] {
  if (!isObject(c))
    return [{ path: at, value: c, problem: 'must be a mapping of maxSkew, topologyKey, whenUnsatisfiable' }];
  const out: OverrideProblem[] = [];
  if (!Number.isInteger(c.maxSkew) || c.maxSkew < 1) {
    out.push({ path: `${at}.maxSkew`, value: c.maxSkew, problem: 'use a whole number of at least 1' });
  }
  if (typeof c.topologyKey !== 'string' || labelKeyProblem(c.topologyKey)) {
    out.push({
      path: `${at}.topologyKey`,
      value: c.topologyKey,
      problem: 'must be a node label key, e.g. "topology.kubernetes.io/zone"',
    });
  }
  if (!(WHEN_UNSATISFIABLE as readonly string[]).includes(c.whenUnsatisfiable)) {
    out.push({ path: `${at}.whenUnsatisfiable`, value: c.whenUnsatisfiable, problem: oneOf(WHEN_UNSATISFIABLE) });
  }
  if (c.minDomains !== undefined) {
    if (!Number.isInteger(c.minDomains) || c.minDomains < 1) {
      out.push({ path: `${at}.minDomains`, value: c.minDomains, problem: 'use a whole number of at least 1' });
    } else if (c.whenUnsatisfiable !== 'DoNotSchedule') {
      out.push({
        path: `${at}.minDomains`,
        value: c.minDomains,
        problem: 'applies with whenUnsatisfiable "DoNotSchedule" only',
      });
    }
  }
  for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
    if (c[policy] !== undefined && !(SPREAD_POLICIES as readonly string[]).includes(c[policy])) {
      out.push({ path: `${at}.${policy}`, value: c[policy], problem: oneOf(SPREAD_POLICIES) });
    }
  }
  return [...out, ...selectorProblems(c.labelSelector, `${at}.labelSelector`)];
}

/** What the construct writes into the pod itself, which overrides must not clash with. */
export interface OwnPodParts {
  /** The main container, which gets the extra env and mounts. */
  readonly container: k8s.Container;
  readonly template: k8s.PodTemplateSpec;
  /** The Pod Security level the workload's namespace has. */
  readonly podSecurity: PodSecurityLevel;
  /** The labels selecting the workload's pods, the default selector of a spread constraint; empty if it has none. */
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/** Every problem of `o` against the pod the construct builds, at paths below the prop. */
export function podOverridesProblems(o: PodOverrides, own: OwnPodParts): OverrideProblem[] {
  if (!isObject(o)) return [{ path: '', value: o, problem: 'must be a mapping of pod overrides' }];
  const out: OverrideProblem[] = [];
  const push = (path: string, value: unknown, problem: string) => out.push({ path, value, problem });
  const meta = own.template.metadata ?? {};
  for (const problem of checkLabels(o.nodeSelector ?? {})) push('nodeSelector', o.nodeSelector, problem);
  if (o.affinity !== undefined) out.push(...affinityProblems(o.affinity, 'affinity'));
  (o.topologySpreadConstraints ?? []).forEach((c, i) => {
    out.push(...topologySpreadProblems(c, `topologySpreadConstraints[${i}]`));
    if (c?.labelSelector === undefined && Object.keys(own.selectorLabels).length === 0) {
      push(
        `topologySpreadConstraints[${i}].labelSelector`,
        undefined,
        'give the pods to spread: this workload has no selector labels of its own to default to',
      );
    }
  });
  (o.tolerations ?? []).forEach((t, i) => out.push(...tolerationProblems(t, `tolerations[${i}]`)));
  if (o.priorityClassName !== undefined && dnsSubdomainProblem(o.priorityClassName)) {
    push('priorityClassName', o.priorityClassName, DNS_SUBDOMAIN_RULE);
  }
  (o.imagePullSecrets ?? []).forEach((name, i) => {
    if (dnsSubdomainProblem(name)) push(`imagePullSecrets[${i}]`, name, `a Secret name ${DNS_SUBDOMAIN_RULE}`);
  });
  for (const problem of checkLabels(o.labels ?? {})) push('labels', o.labels, problem);
  for (const key of Object.keys(o.labels ?? {})) {
    if (key in (meta.labels ?? {})) {
      push(
        `labels[${describeValue(key)}]`,
        o.labels?.[key],
        `the construct sets this label itself (${describeValue(meta.labels?.[key])}); its selector and identity labels cannot be overridden`,
      );
    }
  }
  for (const problem of checkAnnotations(o.annotations ?? {})) push('annotations', '(the annotations)', problem);
  for (const key of Object.keys(o.annotations ?? {})) {
    if (key in (meta.annotations ?? {}))
      push(`annotations[${describeValue(key)}]`, o.annotations?.[key], 'the construct sets this annotation itself');
  }
  out.push(...envProblems(o, own.container));
  out.push(...volumeProblems(o, own));
  return out;
}

function envProblems(o: PodOverrides, container: k8s.Container): OverrideProblem[] {
  const out: OverrideProblem[] = [];
  const own = new Map((container.env ?? []).map((e) => [e.name, e]));
  const seen = new Set<string>();
  (o.env ?? []).forEach((e, i) => {
    const name = e?.name;
    if (!isEnvName(name)) {
      out.push({ path: `env[${i}].name`, value: name, problem: ENV_NAME_RULE });
    } else if (own.has(name)) {
      out.push({
        path: `env[${i}].name`,
        value: name,
        problem: `clashes with the env var ${describeValue(name)} that container "${container.name}" sets itself; use another name`,
      });
    } else if (seen.has(name)) {
      out.push({ path: `env[${i}].name`, value: name, problem: 'is listed twice' });
    }
    seen.add(name);
  });
  (o.envFrom ?? []).forEach((s, i) => {
    if (!isObject(s) || (s.configMapRef === undefined) === (s.secretRef === undefined)) {
      out.push({ path: `envFrom[${i}]`, value: s, problem: 'give exactly one of configMapRef and secretRef' });
    } else if (s.prefix !== undefined && !isEnvName(s.prefix)) {
      out.push({ path: `envFrom[${i}].prefix`, value: s.prefix, problem: ENV_NAME_RULE });
    }
  });
  return out;
}

function volumeProblems(o: PodOverrides, own: OwnPodParts): OverrideProblem[] {
  const out: OverrideProblem[] = [];
  const ownVolumes = new Set((own.template.spec?.volumes ?? []).map((v) => v.name));
  const extra = new Set<string>();
  (o.volumes ?? []).forEach((v, i) => {
    const at = `volumes[${i}]`;
    if (!isObject(v) || typeof v.name !== 'string' || !DNS_LABEL.test(v.name)) {
      out.push({
        path: `${at}.name`,
        value: v?.name,
        problem: 'must be a DNS label: at most 63 lowercase letters, digits and "-"',
      });
      return;
    }
    if (ownVolumes.has(v.name)) {
      out.push({
        path: `${at}.name`,
        value: v.name,
        problem: 'the construct has a volume of this name itself; use another name',
      });
    } else if (extra.has(v.name)) {
      out.push({ path: `${at}.name`, value: v.name, problem: 'is listed twice' });
    }
    extra.add(v.name);
    const types = Object.keys(v).filter((k) => k !== 'name');
    if (types.length !== 1) {
      out.push({ path: at, value: types, problem: 'give exactly one volume type, e.g. { name, configMap: { name } }' });
      return;
    }
    const type = types[0];
    if (own.podSecurity === 'restricted' && !(RESTRICTED_VOLUME_TYPES as readonly string[]).includes(type)) {
      out.push({
        path: at,
        value: `${v.name} (${type})`,
        problem: `the workload runs at Pod Security "restricted", which allows only ${RESTRICTED_VOLUME_TYPES.join(', ')} volumes; the namespace would refuse the pod`,
      });
    } else if (own.podSecurity === 'baseline' && type === 'hostPath') {
      out.push({
        path: at,
        value: `${v.name} (hostPath)`,
        problem: 'Pod Security "baseline" forbids hostPath volumes',
      });
    }
  });
  const ownMounts = (own.container.volumeMounts ?? []).map((m) => m.mountPath);
  (o.volumeMounts ?? []).forEach((m, i) => {
    const at = `volumeMounts[${i}]`;
    if (!isObject(m) || (!ownVolumes.has(m.name) && !extra.has(m.name))) {
      out.push({
        path: `${at}.name`,
        value: m?.name,
        problem: `names no volume: use one of ${[...ownVolumes, ...extra].map((n) => JSON.stringify(n)).join(', ')}`,
      });
      return;
    }
    if (typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) {
      out.push({ path: `${at}.mountPath`, value: m.mountPath, problem: 'must be an absolute path, e.g. "/etc/extra"' });
      return;
    }
    const path = m.mountPath.replace(/\/+$/, '') || '/';
    const clash = ownMounts.find((p) => path === p || path.startsWith(`${p}/`));
    if (clash !== undefined) {
      out.push({
        path: `${at}.mountPath`,
        value: m.mountPath,
        problem: `is at or inside ${describeValue(clash)}, where container "${own.container.name}" mounts a volume of its own`,
      });
    }
  });
  return out;
}

/** Checks `o` against the construct's own pod and throws the first problem, naming the construct path and field. */
export function checkPodOverrides(
  scope: IConstruct,
  prop: string,
  o: PodOverrides | undefined,
  own: OwnPodParts,
): void {
  if (o === undefined) return;
  const [first] = podOverridesProblems(o, own);
  if (first) throw propError(scope, first.path ? `${prop}.${first.path}` : prop, first.value, first.problem);
}
