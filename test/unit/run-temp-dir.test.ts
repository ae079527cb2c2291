import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import runTempDir from '../run-temp-dir.js';

describe("a test run's temporary files", () => {
  const outer = process.env.TMPDIR;
  afterEach(() => {
    process.env.TMPDIR = outer;
  });

  test('the tests of this run make their temporary files under the run’s own directory', () => {
    expect(basename(tmpdir())).toMatch(/^vigil-test-run-/);
  });

  test('the directory is made for the run and removed with everything in it when the run ends', () => {
    const before = tmpdir();
    const teardown = runTempDir();
    const dir = tmpdir();
    expect(dirname(dir)).toBe(before);
    mkdirSync(join(dir, 'vigil-data', 'log'), { recursive: true });
    writeFileSync(join(dir, 'vigil-data', 'log', '0.seg'), 'x');
    teardown();
    expect(existsSync(dir)).toBe(false);
  });
});
