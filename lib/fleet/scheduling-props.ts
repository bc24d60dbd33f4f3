import type { VectorAgentProps } from '../agent';
import type { VectorAggregatorProps } from '../aggregator';
import type { AgentInventory, AgentSchedulingInventory, AggregatorInventory } from './inventory';

/** The agent props an inventory's `agent` node-log fields set (journald, multiline). */
export function agentNodeLogProps(agent: AgentInventory | undefined): Pick<VectorAgentProps, 'journald' | 'multiline'> {
  return {
    ...(agent?.journald === undefined ? {} : { journald: agent.journald }),
    ...(agent?.multiline === undefined ? {} : { multiline: agent.multiline }),
  };
}

/** The agent props an inventory's `agent` scheduling fields set; fields left out keep the agent's defaults. */
export function agentSchedulingProps(
  agent: AgentSchedulingInventory | undefined,
): Pick<VectorAgentProps, 'pod' | 'resources'> {
  if (!agent) return {};
  const pod = {
    ...(agent.tolerations ? { tolerations: agent.tolerations } : {}),
    ...(agent.nodeSelector ? { nodeSelector: agent.nodeSelector } : {}),
    ...(agent.priorityClassName ? { priorityClassName: agent.priorityClassName } : {}),
  };
  return {
    ...(Object.keys(pod).length ? { pod } : {}),
    ...(agent.resources ? { resources: agent.resources } : {}),
  };
}

/** The aggregator props an inventory's `aggregator` scheduling fields set. */
export function aggregatorSchedulingProps(
  aggregator: AggregatorInventory,
): Pick<VectorAggregatorProps, 'pod' | 'resources'> {
  const pod = {
    ...(aggregator.nodeSelector ? { nodeSelector: aggregator.nodeSelector } : {}),
    ...(aggregator.tolerations ? { tolerations: aggregator.tolerations } : {}),
    ...(aggregator.affinity ? { affinity: aggregator.affinity } : {}),
    ...(aggregator.topologySpreadConstraints
      ? { topologySpreadConstraints: aggregator.topologySpreadConstraints }
      : {}),
  };
  return {
    ...(Object.keys(pod).length ? { pod } : {}),
    ...(aggregator.resources ? { resources: aggregator.resources } : {}),
  };
}
