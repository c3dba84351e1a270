import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Creds, type Harness } from './helpers.ts';

let h: Harness & { clock: { now: number } };
let live: Creds;
let demo: Creds;
const path = '/api/v2/mix/account/accounts';
const q = { productType: 'USDT-FUTURES' };

beforeAll(async () => {
  h = await startSim();
  live = h.account({ apiKey: 'live-key' });
  demo = h.account({ apiKey: 'demo-key', demo: true });
});
afterAll(() => h?.stop());

describe('authentication over HTTP', () => {
  it('accepts a correctly signed request', async () => {
    const r = await h.get(live, path, q);
    expect(r.status).toBe(200);
    expect(r.body.code).toBe('00000');
  });

  it('rejects a wrong secret with 40009 and HTTP 400, data null', async () => {
    const r = await h.get(live, path, q, { signWith: 'other-secret' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: '40009', msg: 'sign signature error', data: null });
  });

  it('rejects a wrong passphrase with 40012', async () => {
    const r = await h.get({ ...live, passphrase: 'nope' }, path, q);
    expect(r.body.code).toBe('40012');
  });

  it('rejects an unknown key with 40006', async () => {
    const r = await h.get({ ...live, apiKey: 'ghost' }, path, q);
    expect(r.body.code).toBe('40006');
  });

  it('rejects a timestamp outside ±30 s with 40008', async () => {
    expect((await h.get(live, path, q, { timestamp: String(h.clock.now - 29_000) })).body.code).toBe('00000');
    expect((await h.get(live, path, q, { timestamp: String(h.clock.now - 31_000) })).body.code).toBe('40008');
    expect((await h.get(live, path, q, { timestamp: String(h.clock.now + 31_000) })).body.code).toBe('40008');
  });

  it('rejects missing headers with their own codes', async () => {
    const res = await fetch(`${h.url}${path}?productType=USDT-FUTURES`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('40001');
  });

  it('signs POST bodies byte for byte', async () => {
    const body = JSON.stringify({ productType: 'USDT-FUTURES', posMode: 'one_way_mode' });
    const ts = String(h.clock.now);
    const { testSign } = await import('./helpers.ts');
    const p = '/api/v2/mix/account/set-position-mode';
    const headers = { 'content-type': 'application/json', 'ACCESS-KEY': live.apiKey, 'ACCESS-TIMESTAMP': ts, 'ACCESS-PASSPHRASE': live.passphrase, 'ACCESS-SIGN': testSign(live.secret, `${ts}POST${p}${body}`) };
    const ok = await fetch(`${h.url}${p}`, { method: 'POST', headers, body });
    expect(((await ok.json()) as { code: string }).code).toBe('00000');
    const spaced = await fetch(`${h.url}${p}`, { method: 'POST', headers, body: body.replace(',', ', ') });
    expect(((await spaced.json()) as { code: string }).code).toBe('40009');
  });

  it('requires paptrading: 1 for demo keys and refuses it for live keys (40099)', async () => {
    expect((await h.get(demo, path, q)).body.code).toBe('00000');
    expect((await h.get({ ...demo, demo: false }, path, q)).body.code).toBe('40099');
    expect((await h.get({ ...live, demo: true }, path, q)).body.code).toBe('40099');
  });

  it('refuses the legacy S… product types with the demo header (40099)', async () => {
    expect((await h.get(demo, path, { productType: 'SUSDT-FUTURES' })).body.code).toBe('40099');
    expect((await h.get(live, path, { productType: 'SUSDT-FUTURES' })).body.code).toBe('40020');
  });

  it('serves public endpoints without any auth header', async () => {
    const r = await h.pub('/api/v2/mix/market/tickers', q);
    expect(r.body.code).toBe('00000');
  });

  it('answers unknown paths with 404 and 40404', async () => {
    const r = await h.pub('/api/v2/mix/market/nope');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('40404');
  });
});
