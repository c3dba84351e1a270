import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, closedPort, liveApi, sandbox } from './cli-harness.ts';
import type { LiveApi, Result, Sandbox } from './cli-harness.ts';

let api: LiveApi;
beforeAll(async () => { api = await liveApi(); });
afterAll(() => api.close());

const noToken = (r: Result) => {
  expect(r.stdout).not.toContain(api.token);
  expect(r.stderr).not.toContain(api.token);
};

describe('login and connection settings', () => {
  let box: Sandbox;
  beforeAll(async () => { box = await sandbox(); });
  afterAll(() => box.cleanup());

  it('refuses a bad token with exit 1 and saves nothing', async () => {
    const r = await cli(['login', '--url', api.url, '--token', 'tbx_not-a-real-token'], { env: box.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: invalid API token (unauthorized)\n');
    await expect(stat(box.configFile)).rejects.toThrow(/ENOENT/);
  });

  it('checks the token, then saves url and token in a 0600 file inside a 0700 folder', async () => {
    const r = await cli(['login', '--url', `${api.url}/`, '--token', api.token], { env: box.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^logged in to http:\/\/127\.0\.0\.1:\d+ as u-/);
    noToken(r);
    expect((await stat(box.configFile)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(box.configFile))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(box.configFile, 'utf8'))).toEqual({ url: api.url, token: api.token });

    const me = await cli(['whoami'], { env: box.env });
    expect(me.code).toBe(0);
    expect(me.stdout).toMatch(/^user:\s+u-/m);
    expect(me.stdout).toContain(`server:  ${api.url}`);
    noToken(me);
  });

  it('reads the token from stdin when no flag or TICKBOX_TOKEN gives it', async () => {
    const other = await sandbox();
    try {
      const r = await cli(['login', '--url', api.url], { env: other.env, stdin: `${api.token}\n` });
      expect(r.code, r.stderr).toBe(0);
      noToken(r);
      expect(JSON.parse(await readFile(other.configFile, 'utf8')).token).toBe(api.token);
    } finally {
      await other.cleanup();
    }
  });

  it('flags win over environment variables, which win over the saved login', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    // env url is dead, but the flag points at the api
    expect((await cli(['whoami', '--url', api.url], { env: { ...box.env, TICKBOX_URL: dead } })).code).toBe(0);
    // env url is dead and wins over the saved (working) one
    const unreachable = await cli(['whoami'], { env: { ...box.env, TICKBOX_URL: dead } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^error: cannot reach Tickbox at ${dead}: .*ECONNREFUSED`));
    // a bad env token wins over the saved good one; a flag token wins over the env one
    expect((await cli(['whoami'], { env: { ...box.env, TICKBOX_TOKEN: 'tbx_bad' } })).stderr).toBe('error: invalid API token (unauthorized)\n');
    expect((await cli(['whoami', '--token', api.token], { env: { ...box.env, TICKBOX_TOKEN: 'tbx_bad' } })).code).toBe(0);
  });

  it('logout forgets the saved login; then commands say how to log in', async () => {
    const out = await cli(['logout'], { env: box.env });
    expect(out.code).toBe(0);
    await expect(stat(box.configFile)).rejects.toThrow(/ENOENT/);
    const r = await cli(['workers', 'list'], { env: box.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: not logged in: run `tickbox login/);
  });

  it('a network failure names the url and the reason, without a stack', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const r = await cli(['login', '--url', dead, '--token', api.token], { env: box.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot reach Tickbox at ${dead}: connect ECONNREFUSED ${dead.slice('http://'.length)}\n`);
    noToken(r);
  });
});
