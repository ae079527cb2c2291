import { defineConfig } from 'vitest/config';

// One project per test tier (the end-to-end and Kubernetes ones run their files one after another: each starts
// servers of its own); `npm test` runs them all, `npm run test:<tier>` one of them.
export default defineConfig({
  test: {
    pool: 'forks',
    // One temporary directory per run, removed at its end (test/run-temp-dir.ts).
    globalSetup: ['./test/run-temp-dir.ts'],
    // `npm run coverage`: unit and integration coverage of src/, as a summary and an HTML report in coverage/.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/adapters/spark/gen/**'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage',
    },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'contract', include: ['test/contract/**/*.test.ts'], testTimeout: 30_000 } },
      // expect.poll waits up to 10 s, not vitest's 1 s, which a browser test overran on a loaded machine (a wrong
      // answer still fails the test, 10 s later).
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          expect: { poll: { timeout: 10_000 } },
          poolOptions: { forks: { singleFork: true } },
        },
      },
      // Against a Kubernetes control plane (scripts/engines/kubernetes.sh) and Kafka; npm test starts both.
      {
        test: {
          name: 'kubernetes',
          include: ['test/kubernetes/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
