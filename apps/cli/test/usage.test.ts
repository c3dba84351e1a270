import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, sandbox } from './cli-harness.ts';
import type { Sandbox } from './cli-harness.ts';

let box: Sandbox;
beforeAll(async () => { box = await sandbox(); });
afterAll(() => box.cleanup());

describe('usage', () => {
  it('help and --help print the usage of every command on stdout', async () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = await cli(args, { env: box.env });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      for (const cmd of ['login', 'keys add', 'workers deploy', 'workers logs', 'workers state', 'trades summary', 'Exit codes']) expect(r.stdout).toContain(cmd);
    }
    const group = await cli(['workers', '--help'], { env: box.env });
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('workers deploy');
    expect(group.stdout).not.toContain('keys add');
  });

  it('an unknown command, sub-command or option, or a missing argument, exits 2 with usage on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^error: unknown command "frobnicate"\n/],
      [['workers', 'explode', 'x'], /^error: unknown workers command "explode"\n/],
      [['workers'], /^error: missing workers command\n/],
      [['workers', 'show'], /^error: workers show: missing <worker>\n/],
      [['workers', 'list', '--bogus'], /^error: workers list: unknown option --bogus\n/],
      [['workers', 'show', 'a', 'b'], /^error: workers show: unexpected argument "b"\n/],
      [['keys', 'add', '--name', 'k', '--mode', 'paper'], /^error: keys add: --mode must be one of sim, demo, live/],
      [['trades', '--limit', 'ten'], /^error: trades: --limit must be a positive whole number/],
      [[], /^error: missing command\n/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { env: box.env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Usage: tickbox <command>');
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
    }
  });
});
