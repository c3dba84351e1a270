// `npm run bench`: every benchmark, one after another, each in its own process so they do not
// disturb each other. Figures only; each script prints its baseline from the same run.
import { spawnSync } from 'node:child_process';

const BENCHES = [
  'scripts/bench/ctx-overhead.ts',
  'packages/sandbox/bench/sandbox.ts',
  'packages/bitget-sim/bench/throughput.ts',
];
let failed = 0;
for (const file of BENCHES) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-node-snapshot', file], { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
