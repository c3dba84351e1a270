import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useLiveCli } from './cli-harness.ts';

const live = useLiveCli();

const run = (...args: string[]) => cli(args, { env: live.env });
const CSV_HEADER = 'createdAt,id,workerId,mode,market,productType,action,symbol,side,tradeSide,orderType,size,price,status,orderId,clientOid,fillSize,fillPrice,fee,realizedPnl,errorCode,errorMessage,triggeredOrderId';

describe('trades', () => {
  it('an empty journal is empty but well-formed in every format', async () => {
    expect(await run('trades')).toMatchObject({ code: 0, stdout: 'no trades\n', stderr: '' });
    expect(JSON.parse((await run('trades', '--json')).stdout)).toEqual({ items: [], nextCursor: null });
    expect(await run('trades', '--csv')).toMatchObject({ code: 0, stdout: `${CSV_HEADER}\n`, stderr: '' });
    expect(JSON.parse((await run('trades', 'summary', '--json')).stdout)).toEqual([]);
    expect((await run('trades', 'summary')).stdout).toBe('no trades\n');
  });

  it('prints decimals exactly as the api sends them, filters by worker name, and pages', async () => {
    const path = join(live.box.dir, 'maker.js');
    await writeFile(path, 'export function tick(ctx) {}\n');
    const worker = JSON.parse((await run('workers', 'deploy', path, '--every', '1m', '--disabled', '--json')).stdout);
    const base = Date.parse('2026-02-01T10:00:00Z');
    const rows = [
      { symbol: 'BTCUSDT', size: '0.123456789012345678', price: '123456789012345678.5', fee: '0.00012345', realizedPnl: '-1.10' },
      { symbol: 'ETHUSDT', size: '2', price: '3100.25', fee: '0.5', realizedPnl: '7.000000000000000001' },
      { symbol: 'BTCUSDT', size: '0.001', price: '67010.5', fee: '0.01', realizedPnl: '0' },
    ];
    for (const [i, r] of rows.entries()) {
      await live.api.h.db.tradeLog.create({ data: {
        userId: live.api.userId, workerId: worker.id, mode: 'sim', market: 'futures', productType: 'USDT-FUTURES', action: 'place', symbol: r.symbol,
        side: 'buy', tradeSide: 'open', orderType: 'limit', size: r.size, price: r.price, fillSize: r.size, fillPrice: r.price, fee: r.fee,
        realizedPnl: r.realizedPnl, clientOid: `c-${randomUUID()}`, status: 'filled', request: {}, createdAt: new Date(base + i * 1000),
      } });
    }
    const page = JSON.parse((await run('trades', '--json')).stdout);
    expect(page.items.map((t: { size: string }) => t.size)).toEqual(['0.001', '2', '0.123456789012345678']);

    const table = await run('trades', '--worker', 'maker');
    expect(table.code, table.stderr).toBe(0);
    const [header, ...lines] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^TIME\s+WORKER\s+SYMBOL\s+SIDE\s+TYPE\s+SIZE\s+PRICE\s+STATUS\s+FILLED\s+AVG PRICE\s+FEE\s+PNL\s+ERROR$/);
    expect(lines).toHaveLength(3);
    // Every decimal the api sent appears verbatim (Number() would turn the price into 123456789012345680).
    for (const t of page.items) for (const v of [t.size, t.price, t.fee, t.realizedPnl]) expect(lines.join('\n')).toContain(` ${v} `);
    expect(lines[2]).toMatch(/^2026-02-01 10:00:00Z\s+maker\s+BTCUSDT\s+buy\/open\s+limit\s+0\.123456789012345678\s+123456789012345678\.5\s+filled\s/);

    const first = await run('trades', '--limit', '2');
    const cursor = /^more: add --cursor (\S+)$/m.exec(first.stdout)?.[1];
    expect(cursor).toBeDefined();
    const rest = JSON.parse((await run('trades', '--limit', '2', '--cursor', cursor!, '--json')).stdout);
    expect(rest).toMatchObject({ items: [{ symbol: 'BTCUSDT', size: '0.123456789012345678' }], nextCursor: null });

    const eth = JSON.parse((await run('trades', '--symbol', 'ETHUSDT', '--json')).stdout);
    expect(eth.items.map((t: { price: string }) => t.price)).toEqual(['3100.25']);

    const csv = (await run('trades', '--csv', '--worker', worker.id)).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe(CSV_HEADER);
    expect(csv).toHaveLength(4);
    expect(csv[1]).toContain(',0.123456789012345678,123456789012345678.5,filled,');

    const summary = await run('trades', 'summary', '--worker', 'maker');
    expect(summary.stdout.split('\n')[0]).toMatch(/^WORKER\s+SYMBOL\s+ORDERS\s+FILLED\s+REJECTED\s+VOLUME\s+FEES\s+REALIZED PNL$/);
    const sums = JSON.parse((await run('trades', 'summary', '--json')).stdout);
    const btc = sums.find((s: { symbol: string }) => s.symbol === 'BTCUSDT');
    expect(summary.stdout).toMatch(new RegExp(`^maker\\s+BTCUSDT\\s+2\\s+2\\s+0\\s+${btc.volume.replace('.', '\\.')}\\s+${btc.fees.replace('.', '\\.')}\\s+${btc.realizedPnl.replace('.', '\\.')}$`, 'm'));
  });

  it('usage mistakes and unknown workers', async () => {
    const csvLimit = await run('trades', '--csv', '--limit', '5');
    expect(csvLimit.code).toBe(2);
    expect(csvLimit.stderr).toMatch(/^error: trades: --csv exports every matching trade/);
    const nobody = await run('trades', '--worker', 'ghost');
    expect(nobody).toMatchObject({ code: 1, stderr: 'error: no worker named "ghost" (see tickbox workers list)\n' });
    const badTime = await run('trades', '--from', 'yesterday');
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toMatch(/^error: query\.from must match format "date-time" \(invalid_request\)\n$/);
  });
});
