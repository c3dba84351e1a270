// Rotating a key's credentials (PATCH /api/keys/:id) over the real stack: the workers bound to
// the key sign with the new credentials from their next tick, without being touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.stop());

// Each simulator account is one API key: the positions seen tell which credentials signed.
const CODE = `
export async function tick(ctx) {
  const p = await ctx.bitget.futures_positions();
  ctx.log.info("positions", p.data.length);
  if (!ctx.state.get("placed")) {
    await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.001" });
    ctx.state.set("placed", true);
  }
}`;

describe('key rotation', () => {
  it('a rotated key signs the next tick of its workers with the new credentials', async () => {
    const { http } = stack;
    const key = await http('POST', '/api/keys', { name: 'main', mode: 'sim', apiKey: 'sim_rotation_old_0001', secret: 'old-secret', passphrase: 'old-pass' });
    expect(key.status).toBe(201);
    const worker = (await http('POST', '/api/workers', { name: 'rot', code: CODE, schedule: { every: '1h' }, keyId: key.json.id, enabled: false })).json;
    const run = async () => {
      const r = await http('POST', `/api/workers/${worker.id}/run`);
      expect(r.json.status, JSON.stringify(r.json)).toBe('ok');
      return r.json.logs.map((l: { message: string }) => l.message);
    };
    expect(await run()).toEqual(['positions 0']);
    expect(await run()).toEqual(['positions 1']);

    const rotated = await http('PATCH', `/api/keys/${key.json.id}`, { apiKey: 'sim_rotation_new_0002', secret: 'new-secret', passphrase: 'new-pass' });
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ id: key.json.id, name: 'main', mode: 'sim', apiKeyHint: '0002' });
    expect(Date.parse(rotated.json.rotatedAt)).toBeGreaterThan(Date.parse(key.json.createdAt) - 1);
    // The new credentials are another simulator account: no position there yet.
    expect(await run()).toEqual(['positions 0']);
    expect((await http('GET', `/api/workers/${worker.id}`)).json.keyId).toBe(key.json.id);

    // The requests of the last tick carried the new API key, never the old one.
    const recorded = await (await fetch(`${stack.simUrl}/sim/requests`)).json() as { requests?: unknown[] } | unknown[];
    const list = (Array.isArray(recorded) ? recorded : recorded.requests ?? []) as { path: string; headers: Record<string, string> }[];
    const lastPositions = list.filter((r) => r.path.startsWith('/api/v2/mix/position/all-position')).at(-1)!;
    expect(lastPositions.headers['access-key'] ?? lastPositions.headers['ACCESS-KEY']).toBe('sim_rotation_new_0002');
  });
});
