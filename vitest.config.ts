import { defineConfig } from 'vitest/config';

// One run for the whole monorepo: a single global setup starts (or finds) PostgreSQL and Redis
// for the integration tests, and every package's tests run in forked workers with
// --no-node-snapshot, which isolated-vm needs.
export default defineConfig({
  test: {
    include: ['apps/*/{src,test,e2e}/**/*.test.ts', 'packages/*/{src,test}/**/*.test.ts', 'prisma/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
