import type { LogHeartbeatProps } from '../heartbeat';

/**
 * The props of every source cluster's `LogHeartbeat`: the monitoring cluster's aggregators, built first, count the
 * lines of `LogHeartbeat.lineSourceOf` these props, which the source clusters' heartbeats then have.
 */
export function fleetLogHeartbeatProps(intervalSeconds: number): LogHeartbeatProps {
  return { intervalSeconds };
}
