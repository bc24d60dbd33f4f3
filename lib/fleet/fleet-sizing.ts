import {
  aggregatorBufferBytesFor,
  bufferBytesFor,
  DEFAULT_AGENT_BUFFER_BYTES,
  DEFAULT_AGGREGATOR_BUFFER_BYTES,
  GIB,
  volumeBytesFor,
} from '../k8s/buffer-sizing';
import { describeValue } from '../k8s/prop-errors';
import { memoryBytes } from '../k8s/resources';
import type { Fleet, FleetCluster, MonitoringCluster, OutageBudgetInventory, SourceCluster } from './inventory';
import type { InventoryProblem } from './load-inventory';

/*
 * The inventory's capacity fields applied: buffers from the outage budget (README "Sizing the buffers from an outage
 * budget") and the checks that the synth runs before building anything, so that a buffer too big for its disk is
 * reported at the file, cluster and field. The charts size with the same functions the checks use.
 */

/**
 * How the loader names a cluster in a problem, and finds the monitoring cluster a source ships to: passed in rather
 * than imported, since the loader calls {@link sizingProblems}.
 */
export interface SizingContext {
  readonly label: (name: string, index: number) => string;
  readonly shippingTarget: (inventory: Fleet, source: SourceCluster) => MonitoringCluster | undefined;
}

/** The replicas an outage budget sizes for: with autoscaling the fewest there may be, which fill fastest. */
export function budgetReplicas(cluster: MonitoringCluster): number {
  return cluster.aggregator.autoscaling
    ? (cluster.aggregator.autoscaling.minReplicas ?? 3)
    : (cluster.aggregator.replicas ?? 3);
}

/** The clusters whose agents ship to `monitoring`: the sources given, and itself while its own agent runs. */
export function shippingClusters(monitoring: MonitoringCluster, sources: readonly SourceCluster[]): FleetCluster[] {
  return [...sources, ...(monitoring.agent === false ? [] : [monitoring])];
}

/** The agents' buffer of `cluster` from the budget of the monitoring cluster it ships to; undefined: the default. */
export function agentBufferBytes(cluster: FleetCluster, budget: OutageBudgetInventory | undefined): number | undefined {
  if (budget?.aggregatorDownMinutes === undefined || !cluster.logRate) return undefined;
  return bufferBytesFor(cluster.logRate.bytesPerSecondPerNode, budget.aggregatorDownMinutes);
}

/**
 * One aggregator replica's Loki buffer from its cluster's budget and the shipping clusters' rates; undefined: the
 * default.
 */
export function aggregatorBufferBytes(
  monitoring: MonitoringCluster,
  sources: readonly SourceCluster[],
): number | undefined {
  const minutes = monitoring.outageBudget?.lokiDownMinutes;
  const shipping = shippingClusters(monitoring, sources);
  if (minutes === undefined || shipping.some((c) => !c.logRate)) return undefined;
  const total = shipping.reduce((sum, c) => sum + c.logRate!.bytesPerSecond, 0);
  return aggregatorBufferBytesFor(total, minutes, budgetReplicas(monitoring));
}

/**
 * Every capacity problem of the inventory: missing or impossible rates, buffers larger than their disks, replicas
 * beside autoscaling.
 */
export function sizingProblems(inventory: Fleet, { label, shippingTarget }: SizingContext): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  const where = (cluster: FleetCluster) => label(cluster.name, inventory.clusters.indexOf(cluster));
  const sources = inventory.clusters.filter((c): c is SourceCluster => c.role === 'source');
  const shipsTo = (cluster: FleetCluster): MonitoringCluster | undefined =>
    cluster.role === 'monitoring' ? cluster : shippingTarget(inventory, cluster);

  for (const cluster of inventory.clusters) {
    // A monitoring cluster without its own agents: its logs do not pass the aggregators, and its logRate is unused.
    if (cluster.role === 'monitoring' && cluster.agent === false) continue;
    const rate = cluster.logRate;
    if (rate && rate.bytesPerSecondPerNode > rate.bytesPerSecond) {
      problems.push({
        where: where(cluster),
        field: 'logRate.bytesPerSecondPerNode',
        message: `${rate.bytesPerSecondPerNode} is more than the whole cluster's logRate.bytesPerSecond (${rate.bytesPerSecond}): one node is part of the cluster`,
      });
    }
    const target = shipsTo(cluster);
    const budget = target?.outageBudget;
    if (budget && !rate) {
      problems.push({
        where: where(cluster),
        field: 'logRate',
        message: `is required: the monitoring cluster "${target.name}" has an outageBudget, which sizes the buffers from the log rate of every cluster that ships to it, e.g. { bytesPerSecondPerNode: 50000, bytesPerSecond: 500000 }`,
      });
    }
    const diskBudget = cluster.nodeDiskBudgetBytes;
    const derived = agentBufferBytes(cluster, budget);
    const buffer = derived ?? DEFAULT_AGENT_BUFFER_BYTES;
    if (diskBudget !== undefined && buffer > diskBudget) {
      const why =
        derived === undefined
          ? `the agents' default disk buffer holds ${buffer} bytes`
          : `the agents' disk buffer for outageBudget.aggregatorDownMinutes ${budget!.aggregatorDownMinutes} of "${target!.name}" at logRate.bytesPerSecondPerNode ${rate!.bytesPerSecondPerNode} needs ${buffer} bytes`;
      problems.push({
        where: where(cluster),
        field: 'nodeDiskBudgetBytes',
        message: `${diskBudget}: ${why}, more than the node can give: raise nodeDiskBudgetBytes to at least ${buffer}, or ${derived === undefined ? 'give the monitoring cluster an outageBudget.aggregatorDownMinutes (with logRate) that fits' : 'lower aggregatorDownMinutes'}`,
      });
    }
  }

  for (const monitoring of inventory.clusters) {
    if (monitoring.role !== 'monitoring') continue;
    const aggregator = monitoring.aggregator;
    if (aggregator.autoscaling && aggregator.replicas !== undefined) {
      problems.push({
        where: where(monitoring),
        field: 'aggregator.replicas',
        message: `${aggregator.replicas}: remove it, since aggregator.autoscaling sets the count (minReplicas to maxReplicas), and a fixed replicas would scale the StatefulSet back on every apply`,
      });
    }
    if (aggregator.storageSize === undefined) continue;
    const receiving = sources.filter((s) => shippingTarget(inventory, s) === monitoring);
    const derived = aggregatorBufferBytes(monitoring, receiving);
    const buffer = derived ?? DEFAULT_AGGREGATOR_BUFFER_BYTES;
    const size = memoryBytes(aggregator.storageSize)!;
    if (buffer > size) {
      const why =
        derived === undefined
          ? `the default Loki buffer of ${buffer} bytes per replica`
          : `the Loki buffer of ${buffer} bytes per replica that outageBudget.lokiDownMinutes ${monitoring.outageBudget!.lokiDownMinutes} takes at the ${shippingClusters(monitoring, receiving).length} shipping clusters' logRate over ${budgetReplicas(monitoring)} replicas`;
      problems.push({
        where: where(monitoring),
        field: 'aggregator.storageSize',
        message: `${describeValue(aggregator.storageSize)} (${size} bytes) cannot hold ${why}: use at least "${volumeBytesFor(buffer) / GIB}Gi", or lower the budget`,
      });
    }
  }
  return problems;
}
