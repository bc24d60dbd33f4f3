import { spawnSync } from 'node:child_process';

/**
 * Whether `busybox` runs here: the heartbeat and Airflow sidecar images run busybox's `sh` and `awk`, so generated
 * shell is also tested under it where `scripts/ensure-test-tools.sh` could unpack it. Tests that need it are skipped,
 * visibly, where it is missing, except under `REQUIRE_BUSYBOX=1` (CI), where a missing busybox fails the run.
 */
export function busyboxAvailable(): boolean {
  const available = spawnSync('busybox', ['sh', '-c', 'true']).status === 0;
  if (!available && process.env.REQUIRE_BUSYBOX === '1') {
    throw new Error(
      'REQUIRE_BUSYBOX=1 but `busybox` does not run: run `bash scripts/ensure-test-tools.sh`, which unpacks it into .tools/bin/',
    );
  }
  return available;
}
