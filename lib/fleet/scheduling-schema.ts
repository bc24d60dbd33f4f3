import { z } from 'zod';
import { labelKeyProblem, labelValueProblem } from '../k8s/metadata';
import {
  LABEL_SELECTOR_OPERATORS,
  NODE_SELECTOR_OPERATORS,
  SPREAD_POLICIES,
  TAINT_EFFECTS,
  TOLERATION_OPERATORS,
  WHEN_UNSATISFIABLE,
} from '../k8s/pod-overrides';
import {
  affinityProblems,
  DNS_SUBDOMAIN_RULE,
  dnsSubdomainProblem,
  type OverrideProblem,
  tolerationProblems,
  topologySpreadProblems,
} from '../k8s/pod-overrides-check';
import { describeValue } from '../k8s/prop-errors';
import { cpuMillis, memoryBytes } from '../k8s/resources';

/*
 * The inventory's scheduling fields (agent and aggregator `nodeSelector`, `tolerations`, `affinity`,
 * `topologySpreadConstraints`, `priorityClassName`, `resources`): strict shapes with the API server's enums here, and
 * the rules across fields (an `In` without values, `tolerationSeconds` without `NoExecute`) from the same checks the
 * constructs run (lib/k8s/pod-overrides-check.ts), each reported at its own field.
 */

/** `a.b[0]["c/d"]` -> ['a', 'b', 0, 'c/d'] */
function pathOf(text: string): PropertyKey[] {
  return [...text.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.[\]]+)/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : (m[3] ?? JSON.parse(`"${m[1]}"`)),
  );
}

/** Adds the shared checks' problems as issues at their fields (only once the shape is right, as zod runs refinements). */
const withProblems = (problemsOf: (value: never) => OverrideProblem[]) => (value: unknown, ctx: z.RefinementCtx) => {
  for (const p of problemsOf(value as never)) {
    ctx.addIssue({ code: 'custom', path: pathOf(p.path), message: `${describeValue(p.value)}: ${p.problem}` });
  }
};

const refined = (problemOf: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${describeValue(value)}: ${problem}` });
  });
const labelKey = refined(labelKeyProblem);
const labelMap = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) ctx.addIssue({ code: 'custom', path: [key], message: `the key ${keyProblem}` });
    const valueProblem = labelValueProblem(value);
    if (valueProblem)
      ctx.addIssue({ code: 'custom', path: [key], message: `${describeValue(value)}: ${valueProblem}` });
  }
});

export const priorityClassName = refined((v) => (dnsSubdomainProblem(v) ? DNS_SUBDOMAIN_RULE : undefined));

export const tolerations = z.array(
  z
    .strictObject({
      key: z.string().optional(),
      operator: z.enum(TOLERATION_OPERATORS).optional(),
      value: z.string().optional(),
      effect: z.enum(TAINT_EFFECTS).optional(),
      tolerationSeconds: z.number().optional(),
    })
    .superRefine(withProblems((t) => tolerationProblems(t, ''))),
);

const labelSelector = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: labelKey,
        operator: z.enum(LABEL_SELECTOR_OPERATORS),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
const nodeRequirement = z.strictObject({
  key: z.string(),
  operator: z.enum(NODE_SELECTOR_OPERATORS),
  values: z.array(z.string()).optional(),
});
const nodeTerm = z.strictObject({
  matchExpressions: z.array(nodeRequirement).optional(),
  matchFields: z.array(nodeRequirement).optional(),
});
// Ranges of weights, maxSkew and minDomains are the shared checks' (one message each), not zod's.
const weight = z.number();
const podTerm = z.strictObject({
  topologyKey: labelKey,
  labelSelector: labelSelector.optional(),
  namespaces: z.array(z.string()).optional(),
  namespaceSelector: labelSelector.optional(),
});
const podRules = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podTerm).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.strictObject({ weight, podAffinityTerm: podTerm }))
    .optional(),
});

export const affinity = z
  .strictObject({
    nodeAffinity: z
      .strictObject({
        requiredDuringSchedulingIgnoredDuringExecution: z
          .strictObject({ nodeSelectorTerms: z.array(nodeTerm).min(1, 'give at least one term') })
          .optional(),
        preferredDuringSchedulingIgnoredDuringExecution: z
          .array(z.strictObject({ weight, preference: nodeTerm }))
          .optional(),
      })
      .optional(),
    podAffinity: podRules.optional(),
    podAntiAffinity: podRules.optional(),
  })
  .superRefine(withProblems((a) => affinityProblems(a, '')));

export const topologySpreadConstraints = z.array(
  z
    .strictObject({
      maxSkew: z.number(),
      topologyKey: labelKey,
      whenUnsatisfiable: z.enum(WHEN_UNSATISFIABLE),
      labelSelector: labelSelector.optional(),
      minDomains: z.number().optional(),
      nodeAffinityPolicy: z.enum(SPREAD_POLICIES).optional(),
      nodeTaintsPolicy: z.enum(SPREAD_POLICIES).optional(),
      matchLabelKeys: z.array(labelKey).optional(),
    })
    .superRefine(withProblems((c) => topologySpreadProblems(c, ''))),
);

const cpu = refined((v) => (cpuMillis(v) === undefined ? 'use a CPU quantity such as "100m" or "0.5"' : undefined));
const memory = refined((v) =>
  memoryBytes(v) === undefined ? 'use a memory quantity such as "128Mi" or "1Gi"' : undefined,
);
const amounts = z.strictObject({ cpu, memory });

/** Requests and limits, both required (nothing runs unbounded), requests not above limits. */
export const resources = z.strictObject({ requests: amounts, limits: amounts }).superRefine((r, ctx) => {
  if ((cpuMillis(r.requests.cpu) as number) > (cpuMillis(r.limits.cpu) as number)) {
    ctx.addIssue({
      code: 'custom',
      path: ['requests', 'cpu'],
      message: `${describeValue(r.requests.cpu)}: must not exceed limits.cpu (${r.limits.cpu})`,
    });
  }
  if ((memoryBytes(r.requests.memory) as number) > (memoryBytes(r.limits.memory) as number)) {
    ctx.addIssue({
      code: 'custom',
      path: ['requests', 'memory'],
      message: `${describeValue(r.requests.memory)}: must not exceed limits.memory (${r.limits.memory})`,
    });
  }
});

/** The agents' fields, on source and monitoring clusters. */
export const agentScheduling = {
  tolerations: tolerations.optional(),
  nodeSelector: labelMap.optional(),
  priorityClassName: priorityClassName.optional(),
  resources: resources.optional(),
};

/** The agents' node-log fields (checked further by VectorAgent, whose errors name the field and the cluster's chart). */
export const agentNodeLogs = {
  journald: z
    .union([
      z.boolean(),
      z.strictObject({ units: z.array(z.string()).optional(), journalDirectory: z.string().optional() }),
    ])
    .optional(),
  multiline: z
    .union([
      z.boolean(),
      z.strictObject({
        languages: z.array(z.enum(['java', 'python', 'go'])).optional(),
        startPattern: z.string().optional(),
        expireAfterMs: z.number().int('must be a whole number').optional(),
        maxLines: z.number().int('must be a whole number').optional(),
      }),
    ])
    .optional(),
};

/** The aggregators' fields on a monitoring cluster. */
export const aggregatorScheduling = {
  nodeSelector: labelMap.optional(),
  tolerations: tolerations.optional(),
  affinity: affinity.optional(),
  topologySpreadConstraints: topologySpreadConstraints.optional(),
  resources: resources.optional(),
};
