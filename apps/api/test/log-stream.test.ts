import { afterEach, expect, it } from 'vitest';
import type { LogBus } from '@tickbox/queue';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => { await h?.close().catch(() => undefined); h = undefined; });

const CODE = 'export function tick() {}';

it('an open log stream does not keep app.close() waiting (api shutdown)', async () => {
  h = await createHarness();
  const { auth } = await createUser(h.db);
  const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const res = await fetch(`${base}/api/workers/${w.id}/logs/stream`, { headers: auth });
  expect(res.status).toBe(200);
  const closed = h.app.close().then(() => 'closed');
  expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open after 3 s'), 3000))])).toBe('closed');
  await res.body?.cancel().catch(() => undefined);
});

it('a client that leaves while the stream subscribes still releases its subscription', async () => {
  let releaseSubscribe!: () => void;
  const subscribing = new Promise<void>((r) => { releaseSubscribe = r; });
  let unsubscribed = 0;
  let subscribed = 0;
  const logBus: LogBus = {
    async subscribe() { subscribed++; await subscribing; return async () => { unsubscribed++; }; },
    async close() {},
  };
  h = await createHarness({ logBus });
  const { auth } = await createUser(h.db);
  const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const abort = new AbortController();
  const res = await fetch(`${base}/api/workers/${w.id}/logs/stream`, { headers: auth, signal: abort.signal });
  expect(res.status).toBe(200);
  while (subscribed === 0) await new Promise((r) => setTimeout(r, 10));
  abort.abort();
  await new Promise((r) => setTimeout(r, 200));
  releaseSubscribe();
  await new Promise((r) => setTimeout(r, 200));
  expect(unsubscribed).toBe(1);
});
