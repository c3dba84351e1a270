import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.stop());

describe('GET /api/workers/:id/logs/stream', () => {
  it('streams a tick\'s log lines as Server-Sent Events while it runs', async () => {
    const worker = await stack.http('POST', '/api/workers', {
      name: 'chatty', enabled: false, schedule: { every: '1m' },
      code: 'export async function tick(ctx) { ctx.log.info("first"); await ctx.sleep(1500); ctx.log.warn("second"); }',
    });
    const res = await fetch(`${stack.base}/api/workers/${worker.json.id}/logs/stream`, { headers: { authorization: stack.authHeader } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const events: { level: string; message: string; at: number }[] = [];
    const read = (async () => {
      while (events.length < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push({ ...JSON.parse(data.slice(6)), at: Date.now() });
        }
      }
    })();
    const run = stack.http('POST', `/api/workers/${worker.json.id}/run`).then((r) => ({ ...r, at: Date.now() }));
    await read;
    const finished = await run;
    await reader.cancel();
    expect(events.map((e) => `${e.level} ${e.message}`)).toEqual(['info first', 'warn second']);
    expect(finished.json.status).toBe('ok');
    // Live: the first line reached the stream before the tick (which sleeps 1.5 s) was over.
    expect(events[0]!.at).toBeLessThan(finished.at - 1000);
  });
});
