import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator } from '../src/index.ts';
import { startSim, T0, type Harness } from './helpers.ts';

let h: (Harness & { clock: { now: number } }) | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const order = { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginCoin: 'USDT', marginMode: 'crossed', side: 'buy', orderType: 'market', size: '0.01' };

describe('/sim/accounts', () => {
  it('creates (201), is idempotent for the same credentials (200, no reset) and refuses a different secret (409)', async () => {
    h = await startSim();
    const spec = { apiKey: 'k', secret: 's', passphrase: 'p', demo: false, balances: { futures: { USDT: '500' } } };
    const created = await h.admin('POST', '/sim/accounts', spec);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiKey: 'k', demo: false, created: true });
    const creds = { apiKey: 'k', secret: 's', passphrase: 'p' };
    await h.post(creds, '/api/v2/mix/order/place-order', order);
    const again = await h.admin('POST', '/sim/accounts', { ...spec, balances: { futures: { USDT: '999999' } } });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect((await h.get(creds, '/api/v2/mix/position/all-position', { productType: 'USDT-FUTURES' })).body.data).toHaveLength(1);
    expect((await h.admin('POST', '/sim/accounts', { ...spec, secret: 'other' })).status).toBe(409);
    expect((await h.admin('POST', '/sim/accounts', { apiKey: 'x' })).status).toBe(400);
  });

  it('gives documented default balances, larger for demo keys', async () => {
    h = await startSim();
    await h.admin('POST', '/sim/accounts', { apiKey: 'd', secret: 's', passphrase: 'p', demo: true });
    const assets = (await h.get({ apiKey: 'd', secret: 's', passphrase: 'p', demo: true }, '/api/v2/spot/account/assets')).body.data;
    expect(assets.map((x: { coin: string; available: string }) => [x.coin, x.available])).toEqual([['BTC', '1'], ['ETH', '10'], ['USDT', '50000']]);
    const live = h.account({ apiKey: 'l' });
    const fut = (await h.get(live, '/api/v2/mix/account/accounts', { productType: 'USDT-FUTURES' })).body.data;
    expect(fut[0].available).toBe('10000');
  });
});

describe('/sim/fail-next', () => {
  it('mode "after" places the order, then fails the response; the order is found by clientOid', async () => {
    h = await startSim();
    const a = h.account({ apiKey: 'f' });
    const rule = await h.admin('POST', '/sim/fail-next', { path: '/api/v2/mix/order/place-order', mode: 'after', status: 503 });
    expect(rule.status).toBe(201);
    const r = await h.post(a, '/api/v2/mix/order/place-order', { ...order, clientOid: 'once-only' });
    expect(r.status).toBe(503);
    const found = await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', clientOid: 'once-only' });
    expect(found.body.data).toMatchObject({ clientOid: 'once-only', state: 'filled' });
    // The rule was used once: a retry with the same clientOid is refused as a duplicate.
    expect((await h.post(a, '/api/v2/mix/order/place-order', { ...order, clientOid: 'once-only' })).body.code).toBe('40786');
  });

  it('mode "after" with drop closes the connection after processing', async () => {
    h = await startSim();
    const a = h.account({ apiKey: 'f' });
    await h.admin('POST', '/sim/fail-next', { path: '/api/v2/mix/order/place-order', mode: 'after', drop: true });
    await expect(h.post(a, '/api/v2/mix/order/place-order', { ...order, clientOid: 'dropped' })).rejects.toThrow();
    const found = await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', clientOid: 'dropped' });
    expect(found.body.data.state).toBe('filled');
  });

  it('mode "before" answers 429 / error codes without processing, `times` times, and delays', async () => {
    h = await startSim();
    const a = h.account({ apiKey: 'f' });
    await h.admin('POST', '/sim/fail-next', { path: '/api/v2/mix/market/tickers', status: 429, times: 2 });
    const q = { productType: 'USDT-FUTURES' };
    for (let i = 0; i < 2; i++) {
      const r = await h.pub('/api/v2/mix/market/tickers', q);
      expect(r.status).toBe(429);
      expect(r.body).toMatchObject({ code: '429', msg: 'Too Many Requests', data: null });
    }
    expect((await h.pub('/api/v2/mix/market/tickers', q)).status).toBe(200);
    await h.admin('POST', '/sim/fail-next', { path: '/api/v2/mix/order/place-order', code: '40762', msg: 'The order amount exceeds the balance' });
    const r = await h.post(a, '/api/v2/mix/order/place-order', { ...order, clientOid: 'refused' });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('40762');
    expect((await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', clientOid: 'refused' })).body.code).toBe('40109');
    await h.admin('POST', '/sim/fail-next', { path: '/api/v2/mix/market/tickers', delayMs: 150 });
    const started = performance.now();
    expect((await h.pub('/api/v2/mix/market/tickers', q)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('hang never answers, so a client timeout fires', async () => {
    h = await startSim();
    await h.admin('POST', '/sim/fail-next', { path: '/api/v2/spot/market/tickers', hang: true });
    await expect(fetch(`${h.url}/api/v2/spot/market/tickers`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });
});

describe('/sim/requests and /sim/health', () => {
  it('records requests with ACCESS-SIGN and ACCESS-PASSPHRASE redacted', async () => {
    h = await startSim();
    const a = h.account({ apiKey: 'rec' });
    await h.get(a, '/api/v2/mix/account/accounts', { productType: 'USDT-FUTURES' });
    const list = (await h.admin('GET', '/sim/requests?path=/api/v2/mix/account/accounts')).body.requests;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ method: 'GET', query: 'productType=USDT-FUTURES', status: 200, code: '00000' });
    expect(list[0].headers['access-sign']).toBe('[redacted]');
    expect(list[0].headers['access-passphrase']).toBe('[redacted]');
    expect(list[0].headers['access-key']).toBe('rec');
    expect(JSON.stringify(list)).not.toContain(a.passphrase);
    const health = await h.admin('GET', '/sim/health');
    expect(health.body).toMatchObject({ status: 'ok', now: T0, marketNow: T0, accounts: 1 });
  });
});

describe('rate limits', () => {
  it('answers HTTP 429 {code:"429"} past the per-endpoint limit, per key for private endpoints', async () => {
    h = await startSim({ rateLimits: true });
    const a = h.account({ apiKey: 'rl-a' });
    const b = h.account({ apiKey: 'rl-b' });
    const path = '/api/v2/mix/account/set-position-mode';
    const body = { productType: 'USDT-FUTURES', posMode: 'one_way_mode' };
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) codes.push((await h.post(a, path, body)).body.code);
    expect(codes).toEqual(['00000', '00000', '00000', '00000', '00000', '429']); // 5/s
    expect((await h.post(b, path, body)).body.code).toBe('00000');
    h.clock.now += 200; // one token back at 5/s
    expect((await h.post(a, path, body)).body.code).toBe('00000');
    const pub: number[] = [];
    for (let i = 0; i < 21; i++) pub.push((await h.pub('/api/v2/spot/market/tickers')).status);
    expect(pub.filter((s) => s === 429)).toHaveLength(1); // 20/s per IP
  });
});

describe('persistence', () => {
  it('keeps accounts, positions and price pins across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bitget-sim-'));
    const dataFile = join(dir, 'state.json');
    try {
      h = await startSim({ dataFile });
      const a = h.account({ apiKey: 'persist' });
      await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60000' });
      await h.post(a, '/api/v2/mix/order/place-order', order);
      await h.stop();
      h = await startSim({ dataFile });
      const pos = (await h.get(a, '/api/v2/mix/position/all-position', { productType: 'USDT-FUTURES' })).body.data;
      expect(pos).toHaveLength(1);
      expect(pos[0]).toMatchObject({ total: '0.01', openPriceAvg: '60000.1', markPrice: '60000' });
      await h.stop();
      h = undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('price sources', () => {
  it('the seeded walk is deterministic: same seed and clock, same candles', async () => {
    const q = { symbol: 'ETHUSDT', productType: 'USDT-FUTURES', granularity: '1H', limit: '48' };
    h = await startSim({ seed: 42 });
    const first = (await h.pub('/api/v2/mix/market/candles', q)).body.data;
    await h.stop();
    h = await startSim({ seed: 42 });
    expect((await h.pub('/api/v2/mix/market/candles', q)).body.data).toEqual(first);
    await h.stop();
    h = await startSim({ seed: 43 });
    expect((await h.pub('/api/v2/mix/market/candles', q)).body.data).not.toEqual(first);
    expect(first).toHaveLength(48);
    for (const row of first) expect(row).toHaveLength(7);
  });

  it('replays a candles CSV from the simulator start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bitget-sim-csv-'));
    const csv = join(dir, 'btc.csv');
    writeFileSync(csv, 'ts,open,high,low,close,volume\n1700000000000,100,110,95,105,10\n1700000060000,105,106,100,101,12\n');
    try {
      h = await startSim({ candlesCsv: csv });
      const t = await h.pub('/api/v2/spot/market/tickers', { symbol: 'BTCUSDT' });
      expect(t.body.data[0].lastPr).toBe('100');
      h.clock.now += 60_000;
      const rows = (await h.pub('/api/v2/mix/market/candles', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', granularity: '1m', limit: '2' })).body.data;
      expect(rows.map((r: string[]) => r.slice(1, 5))).toEqual([['100', '110', '95', '105'], ['105', '105', '105', '105']]);
      await h.stop();
      h = undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('createSimulator works with no options at all', async () => {
    const sim = createSimulator();
    const url = await sim.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.url).toBe(url);
    const r = await fetch(`${url}/api/v2/spot/public/symbols`);
    expect(((await r.json()) as { data: { symbol: string }[] }).data.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    await sim.stop();
  });
});
