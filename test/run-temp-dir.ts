// Vitest's global setup: every temporary file of a test run (the data directories tests make with mkdtemp, browser
// profiles, the files of the Vigil processes they start) goes under one directory, removed when the run ends. Runs of
// the whole suite had left about 45 GB in /tmp until the disk was full. The test processes and every process they
// start inherit TMPDIR, which os.tmpdir() reads. VIGIL_TEST_KEEP_TMP=1 keeps the directory to look into after a run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function runTempDir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-test-run-'));
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.VIGIL_TEST_KEEP_TMP === '1') {
      console.log(`the run's temporary files are kept in ${dir} (VIGIL_TEST_KEEP_TMP=1)`);
      return;
    }
    try {
      // A process a test started may still be closing its files: a few retries before giving up.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (e) {
      console.warn(`could not remove the run's temporary files in ${dir}: ${(e as Error).message}; remove it by hand`);
    }
  };
}
