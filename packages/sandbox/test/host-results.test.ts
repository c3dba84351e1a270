/**
 * How host results and host errors reach worker code: JSON values, JsonText handed through
 * unparsed on the host, invalid JsonText, and the user frames of a failed call's stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonText, type HostApi } from '../src/index.ts';
import { Harness } from './helpers.ts';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const body = '{"code":"00000","msg":"success","requestTime":1,"data":[{"symbol":"BTCUSDT","lastPr":"50000.10"}]}';
const host: HostApi = {
  bitget: {
    text: async () => new JsonText(body),
    broken: async () => new JsonText('{"code":"00000","data":['),
    fail: async () => {
      throw Object.assign(new Error('Insufficient balance'), { name: 'BitgetAPIError', code: '40762' });
    },
  },
};

describe('host results', () => {
  it('hands JsonText to the worker as the value it encodes, numbers as sent', async () => {
    const result = await h.run(`export async function tick(ctx) { return await ctx.bitget.text(); }`, { host });
    expect(result.status).toBe('ok');
    expect(result.returnValue).toEqual(JSON.parse(body));
  });

  it('fails the call, not the tick, when a JsonText is not valid JSON', async () => {
    const result = await h.run(`export async function tick(ctx) {
      try { await ctx.bitget.broken(); return 'resolved'; }
      catch (e) { return { name: e.name, code: e.code, message: e.message }; }
    }`, { host });
    expect(result.returnValue).toEqual({ name: 'SandboxError', code: 'BAD_HOST_RESULT', message: 'the host returned a result that is not valid JSON' });
  });

  it('refuses a JsonText built from anything but a string', () => {
    expect(() => new JsonText({} as unknown as string)).toThrow(TypeError);
  });

  it("gives a failed call's error the user's awaiting frames, innermost first", async () => {
    const result = await h.run(`
async function buy(ctx) {
  await ctx.bitget.fail();
}
export async function tick(ctx) {
  try { await buy(ctx); } catch (e) { return e.stack; }
}`, { host });
    const lines = String(result.returnValue).split('\n');
    expect(lines[0]).toBe('BitgetAPIError: Insufficient balance');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {4}at async buy \(tickbox:worker:\d+:\d+\)$/),
      expect.stringMatching(/^ {4}at async tick \(tickbox:worker:\d+:\d+\)$/),
    ]);
  });

  it('keeps call-site frames for calls refused before they leave the isolate', async () => {
    const result = await h.run(`export async function tick(ctx) {
      try { await ctx.bitget.text(); await ctx.bitget.text(); } catch (e) { return { code: e.code, stack: e.stack }; }
    }`, { host, limits: { maxHostCalls: 1 } });
    expect(result.returnValue).toMatchObject({ code: 'HOST_CALL_LIMIT' });
    expect((result.returnValue as { stack: string }).stack).toMatch(/^SandboxError: ctx.bitget.text\(\) refused: at most 1 ctx calls per tick\n {4}at tick \(tickbox:worker:\d+:\d+\)$/);
  });
});

describe('reported errors', () => {
  it("maps an uncaught host error's async frames to the user's source lines", async () => {
    const result = await h.run(`export async function tick(ctx) {
  const x = 1;
  await ctx.bitget.fail();
}`, { host });
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'BitgetAPIError', code: '40762' });
    expect(result.error!.stack).toBe('BitgetAPIError: Insufficient balance\n    at async tick (worker.js:3:3)');
  });
});
