import { stringify } from 'yaml';

/** What the exporter's config says: see https://github.com/resmoio/kubernetes-event-exporter (v1.7, README and pkg/exporter/config.go). */
export interface ExporterConfigOptions {
  /** Where it posts each event: the Vector container's `http_server` on loopback. */
  readonly webhookUrl: string;
  /** Events older than this when first seen (e.g. the backlog a restart lists again) are skipped. */
  readonly maxEventAgeSeconds: number;
}

/**
 * The exporter's `config.yaml`: every event of every namespace to one webhook receiver, posted as the whole Event JSON
 * (no `layout`). `omitLookup: true` stops it from getting each involved object for its labels and annotations, so it
 * needs list and watch on events and nothing else; leader election stays off, as the Deployment has one replica.
 */
export function exporterConfig(o: ExporterConfigOptions): string {
  return stringify({
    logLevel: 'info',
    logFormat: 'json',
    maxEventAgeSeconds: o.maxEventAgeSeconds,
    omitLookup: true,
    route: { routes: [{ match: [{ receiver: 'vector' }] }] },
    receivers: [{ name: 'vector', webhook: { endpoint: o.webhookUrl } }],
  });
}
