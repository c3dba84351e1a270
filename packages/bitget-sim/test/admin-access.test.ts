import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator } from '../src/index.ts';
import type { Simulator } from '../src/index.ts';

// The control surface moves money and time; it answers only loopback peers unless the
// operator opts in (a private container network). Proven over a real non-loopback address.
function nonLoopbackIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this test needs a non-loopback IPv4 interface to connect from');
}

let sim: Simulator | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

async function probe(adminFromAnyHost: boolean) {
  sim = createSimulator({ host: '0.0.0.0', port: 0, seed: 1, adminFromAnyHost });
  const port = new URL(await sim.start()).port;
  const external = `http://${nonLoopbackIPv4()}:${port}`;
  const admin = await fetch(`${external}/sim/health`);
  const exchange = await fetch(`${external}/api/v2/mix/market/tickers?productType=USDT-FUTURES`);
  const local = await fetch(`http://127.0.0.1:${port}/sim/health`);
  return { admin: admin.status, adminBody: await admin.json(), exchange: exchange.status, local: local.status };
}

describe('/sim/ access', () => {
  it('refuses a non-loopback peer (403) while the exchange API answers it', async () => {
    const r = await probe(false);
    expect(r).toMatchObject({ admin: 403, adminBody: { error: 'forbidden' }, exchange: 200, local: 200 });
  });

  it('serves any peer when adminFromAnyHost is set (docker-compose)', async () => {
    const r = await probe(true);
    expect(r).toMatchObject({ admin: 200, exchange: 200, local: 200 });
  });
});
