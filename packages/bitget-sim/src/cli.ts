import { parseArgs } from 'node:util';
import { createSimulator } from './simulator.ts';

// Entry point: the only place that reads argv/env. Usage:
//   node --import tsx packages/bitget-sim/src/cli.ts --port 7070 [--seed N] [--data FILE] [--csv FILE]
//     [--host H] [--account KEY:SECRET:PASSPHRASE[:demo]] [--no-rate-limits]
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.BITGET_SIM_PORT ?? '7070' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    data: { type: 'string' },
    csv: { type: 'string' },
    account: { type: 'string', multiple: true },
    'no-rate-limits': { type: 'boolean', default: false },
    'admin-any-host': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('bitget-sim --port 7070 [--host 127.0.0.1] [--seed N] [--data state.json] [--csv candles.csv] [--account key:secret:pass[:demo]] [--no-rate-limits] [--admin-any-host]');
  process.exit(0);
}

const sim = createSimulator({
  host: values.host,
  port: Number(values.port),
  seed: values.seed === undefined ? undefined : Number(values.seed),
  dataFile: values.data,
  candlesCsv: values.csv,
  rateLimits: !values['no-rate-limits'],
  adminFromAnyHost: values['admin-any-host'],
  logger: { info: (...a) => console.log(...a), warn: (...a) => console.warn(...a) },
});

for (const spec of values.account ?? []) {
  const [apiKey, secret, passphrase, demo] = spec.split(':');
  if (!apiKey || !secret || !passphrase) {
    console.error(`--account expects key:secret:passphrase[:demo], got ${spec}`);
    process.exit(2);
  }
  sim.createAccount({ apiKey, secret, passphrase, demo: demo === 'demo' });
}

const url = await sim.start();
console.log(`Bitget simulator: ${url}  (admin: ${url}/sim/health)`);

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  sim.stop().then(() => process.exit(0), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
