// The atomic directory writer is part of the library (lib/fleet/write-clusters.ts), for entry points of its users too.
export { writeClusters } from '../lib/fleet/write-clusters';
