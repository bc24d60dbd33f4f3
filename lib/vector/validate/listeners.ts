import type { PipelineComponent } from '../component';
import { DEFAULT_API_ADDRESS, type GlobalOptions } from '../global-options';
import { labelOf, type Report } from './report';

/** An address a component binds. */
export interface Listener {
  /** `sources.vector_in`, `sinks.metrics`, or `global.api`. */
  readonly component: string;
  readonly address: string;
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port` and `[v6]:port`. */
export function parseAddress(address: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(address);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1], port };
}

export function listenersOf(components: readonly PipelineComponent[], global: GlobalOptions): Listener[] {
  const found: Listener[] = [];
  const add = (component: string, address: string | undefined) => {
    const parsed = address === undefined ? undefined : parseAddress(address);
    if (address !== undefined && parsed) found.push({ component, address, ...parsed });
  };
  if (global.api?.enabled) add('global.api', global.api.address ?? DEFAULT_API_ADDRESS);
  for (const c of components) {
    const address = c.kind?.listenAddress(c.options);
    if (address !== undefined) add(labelOf(c), address); // most components listen nowhere: no label for them
  }
  return found;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]', '::']);

export function checkListeners(components: readonly PipelineComponent[], global: GlobalOptions, report: Report): void {
  const check = (component: string, address: string | undefined) => {
    if (address !== undefined && !parseAddress(address)) {
      report(component, `address "${address}" is not host:port with a port from 1 to 65535, e.g. "0.0.0.0:6000"`);
    }
  };
  if (global.api?.enabled) check('global.api', global.api.address ?? DEFAULT_API_ADDRESS);
  for (const c of components) {
    const address = c.kind?.listenAddress(c.options);
    if (address !== undefined) check(labelOf(c), address);
  }

  const byPort = new Map<number, Listener[]>();
  for (const l of listenersOf(components, global)) {
    const same = byPort.get(l.port) ?? [];
    for (const other of same) {
      if (other.host === l.host || WILDCARD_HOSTS.has(other.host) || WILDCARD_HOSTS.has(l.host)) {
        report(
          l.component,
          `listens on ${l.address}, which ${other.component} already binds (${other.address}); give one of them another port`,
        );
      }
    }
    same.push(l);
    byPort.set(l.port, same);
  }
}
