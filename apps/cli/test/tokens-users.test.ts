import { describe, expect, it } from 'vitest';
import { hashToken } from '@tickbox/secrets';
import { createUser } from '../../api/test/harness.ts';
import { cli, useLiveCli } from './cli-harness.ts';

const live = useLiveCli();
const ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TIME = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ';
const TOKEN = /^ {2}(tbx_[A-Za-z0-9_-]{43})$/m;

/** A fresh user of its own (so revoking cannot lock out the other tests), and a runner with its token. */
async function user(isAdmin = false) {
  const { userId, auth } = await createUser(live.api.h.db, isAdmin);
  const token = auth.authorization.slice('Bearer '.length);
  return { userId, token, run: (...args: string[]) => cli(args, { env: { ...live.env, TICKBOX_TOKEN: token } }) };
}

describe('tokens', () => {
  it('list marks the current token; --json prints the API answer; neither shows a secret', async () => {
    const r = await cli(['tokens', 'list'], { env: live.env });
    expect(r.code, r.stderr).toBe(0);
    const [head, row, ...rest] = r.stdout.split('\n');
    expect(head).toMatch(/^CURRENT\s+NAME\s+ID\s+CREATED\s+LAST USED$/);
    expect(row).toMatch(new RegExp(`^\\*\\s+t\\s+${ID}\\s+${TIME}\\s+${TIME}$`));
    expect(rest).toEqual(['']);
    const j = await cli(['tokens', 'list', '--json'], { env: live.env });
    expect(JSON.parse(j.stdout)).toEqual([{ id: expect.any(String), name: 't', createdAt: expect.any(String), lastUsedAt: expect.any(String), current: true }]);
    for (const out of [r.stdout, j.stdout]) {
      expect(out).not.toContain(live.api.token);
      expect(out).not.toContain(hashToken(live.api.token));
    }
  });

  it('create prints the token once, with a note; the token works and is listed as never used', async () => {
    const u = await user();
    const r = await u.run('tokens', 'create', 'ci');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^created token ci \\(${ID}\\):\n\n`));
    expect(r.stdout).toContain('It is shown only now and cannot be shown again');
    const token = TOKEN.exec(r.stdout)![1]!;
    const list = await u.run('tokens', 'list');
    expect(list.stdout).toMatch(new RegExp(`^\\s+ci\\s+${ID}\\s+${TIME}\\s+never$`, 'm'));
    expect(list.stdout).not.toContain(token);
    const who = await cli(['whoami'], { env: { ...live.env, TICKBOX_TOKEN: token } });
    expect(who.code, who.stderr).toBe(0);
    // Seen from the new token, it is the current one.
    const mine = await cli(['tokens', 'list'], { env: { ...live.env, TICKBOX_TOKEN: token } });
    expect(mine.stdout).toMatch(new RegExp(`^\\*\\s+ci\\s+${ID}\\s+${TIME}\\s+${TIME}$`, 'm'));
    const j = await u.run('tokens', 'create', 'ci-json', '--json');
    expect(JSON.parse(j.stdout)).toEqual({ id: expect.stringMatching(new RegExp(`^${ID}$`)), name: 'ci-json', token: expect.stringMatching(/^tbx_/) });
    expect((await u.run('tokens', 'create')).code).toBe(2);
  });

  it('revoke takes a name or an id; ambiguous and unknown names are clear errors', async () => {
    const u = await user();
    const dup1 = TOKEN.exec((await u.run('tokens', 'create', 'dup')).stdout)![1]!;
    await u.run('tokens', 'create', 'dup');
    const ambiguous = await u.run('tokens', 'revoke', 'dup');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stdout).toBe('');
    expect(ambiguous.stderr).toMatch(new RegExp(`^error: 2 tokens are named "dup"; use an id: ${ID}, ${ID}\n$`));
    const unknown = await u.run('tokens', 'revoke', 'nope');
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'error: no token named "nope" (see tickbox tokens list)\n' });

    const ids = (JSON.parse((await u.run('tokens', 'list', '--json')).stdout) as { id: string; name: string }[]).filter((t) => t.name === 'dup').map((t) => t.id);
    const byId = await u.run('tokens', 'revoke', ids[0]!);
    expect(byId).toMatchObject({ code: 0, stdout: `revoked token ${ids[0]}; it no longer works\n`, stderr: '' });
    const refused = await cli(['whoami'], { env: { ...live.env, TICKBOX_TOKEN: dup1 } });
    expect(refused).toMatchObject({ code: 1, stderr: 'error: invalid API token (unauthorized)\n' });
    // Now the name is unique.
    expect(await u.run('tokens', 'revoke', 'dup')).toMatchObject({ code: 0, stdout: 'revoked token dup; it no longer works\n' });
    const again = await u.run('tokens', 'revoke', ids[0]!);
    expect(again).toMatchObject({ code: 1, stderr: 'error: token not found (not_found)\n' });
    expect((await u.run('tokens', 'revoke', 'not-a-uuid-or-name')).stderr).toBe('error: no token named "not-a-uuid-or-name" (see tickbox tokens list)\n');
  });

  it('refuses to revoke your only token, with a hint; revoking the current one of two says so', async () => {
    const u = await user();
    const r = await u.run('tokens', 'revoke', 't');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot revoke this token: it is the token making this request and your only one, so you would lock yourself out; .* \(conflict\)\n/);
    expect(r.stderr).toContain('hint: tickbox tokens create NAME makes another token');
    expect((await u.run('whoami')).code).toBe(0);

    const spare = TOKEN.exec((await u.run('tokens', 'create', 'spare')).stdout)![1]!;
    const self = await u.run('tokens', 'revoke', 't');
    expect(self).toMatchObject({ code: 0, stdout: 'revoked token t, the one this command used: log in with another token (tickbox login)\n' });
    expect((await u.run('whoami')).code).toBe(1);
    expect((await cli(['whoami'], { env: { ...live.env, TICKBOX_TOKEN: spare } })).code).toBe(0);
  });
});

describe('users', () => {
  it('are for admins only: a clear error for anyone else', async () => {
    const list = await cli(['users', 'list'], { env: live.env });
    expect(list).toMatchObject({ code: 1, stdout: '', stderr: 'error: only an admin can list users (forbidden)\n' });
    const create = await cli(['users', 'create', 'mallory', '--admin'], { env: live.env });
    expect(create).toMatchObject({ code: 1, stdout: '', stderr: 'error: only an admin can create users (forbidden)\n' });
  });

  it('an admin creates users (token printed once) and lists them with counts', async () => {
    const admin = await user(true);
    const name = `bob-${Date.now()}`;
    const r = await admin.run('users', 'create', name);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^created user ${name} \\(${ID}\\); API token:\n\n`));
    expect(r.stdout).toContain('It is shown only now and cannot be shown again');
    const bobToken = TOKEN.exec(r.stdout)![1]!;
    const who = await cli(['whoami'], { env: { ...live.env, TICKBOX_TOKEN: bobToken } });
    expect(who.stdout).toMatch(new RegExp(`^user:\\s+${name}$`, 'm'));
    expect(who.stdout).toMatch(/^admin:\s+no$/m);

    const boss = await admin.run('users', 'create', `${name}-admin`, '--admin', '--json');
    expect(JSON.parse(boss.stdout)).toMatchObject({ name: `${name}-admin`, isAdmin: true, token: expect.stringMatching(/^tbx_/) });
    const dup = await admin.run('users', 'create', name);
    expect(dup).toMatchObject({ code: 1, stderr: `error: a user named ${name} already exists (conflict)\n` });

    await cli(['tokens', 'create', 'second'], { env: { ...live.env, TICKBOX_TOKEN: bobToken } });
    const list = await admin.run('users', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ADMIN\s+WORKERS\s+TOKENS\s+CREATED$/);
    expect(list.stdout).toMatch(new RegExp(`^${ID}\\s+${name}\\s+no\\s+0\\s+2\\s+${TIME}$`, 'm'));
    expect(list.stdout).toMatch(new RegExp(`^${ID}\\s+${name}-admin\\s+yes\\s+0\\s+1\\s+${TIME}$`, 'm'));
    expect(list.stdout).not.toContain(bobToken);
    const j = JSON.parse((await admin.run('users', 'list', '--json')).stdout) as { name: string }[];
    expect(j.find((u) => u.name === name)).toEqual({ id: expect.any(String), name, isAdmin: false, createdAt: expect.any(String), workers: 0, tokens: 2 });
  });

  it('help lists the new commands; a missing name is a usage error', async () => {
    const help = await cli(['help'], { env: live.env });
    for (const cmd of ['tokens list', 'tokens create <name>', 'tokens revoke <token>', 'users list', 'users create <name> [--admin]']) expect(help.stdout).toContain(cmd);
    const group = await cli(['users', '--help'], { env: live.env });
    expect(group.stdout).toContain('users create');
    expect(group.stdout).not.toContain('tokens revoke');
    const missing = await cli(['users', 'create'], { env: live.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: users create: missing <name>\n/);
  });
});
