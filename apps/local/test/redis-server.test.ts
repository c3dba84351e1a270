// The launcher's private redis-server: stop() must end even when Redis refuses to exit.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRedisServer } from '../src/redis-server.ts';

/** Sends one RESP command over a fresh connection and resolves with the first reply line. */
function command(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().split('\r\n')[0]!); });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

describe('startRedisServer', () => {
  it('stop() ends the server even when Redis refuses to exit because its final save fails (data dir removed under it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tickbox-redis-'));
    const server = await startRedisServer(join(dir, 'redis'), 'redis-server', 500);
    const port = Number(new URL(server.url).port);
    expect(await command(port, 'SET', 'k', 'v')).toBe('+OK');
    await rm(dir, { recursive: true, force: true });

    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(command(port, 'PING')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 10_000);
});
