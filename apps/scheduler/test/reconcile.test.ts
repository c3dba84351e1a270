// Order reconciliation end to end: worker orders on the simulator over HTTP, the scheduler's
// reconciliation pass (BullMQ job and reconcileNow), TradeLog in PostgreSQL, the api's trade view.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBitgetClient } from '@tickbox/bitget';
import type { BitgetClient } from '@tickbox/bitget';
import { startStack, until } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
const http: Stack['http'] = (...args) => stack.http(...args);
// The job scheduler runs every second here (production: 15 s), so the first test also covers the BullMQ wiring.
beforeAll(async () => { stack = await startStack({ reconcile: { everyMs: 1000 } }); });
afterAll(() => stack?.stop());

const pin = async (price: string) => {
  const res = await fetch(`${stack.simUrl}/sim/price`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'BTCUSDT', price }) });
  expect(res.status).toBe(200);
};

/** A sim key made through the api, plus a client of the same simulator account made by the test. */
async function simKey(name: string): Promise<{ id: string; userId: string; client: BitgetClient }> {
  const key = await http('POST', '/api/keys', { name, mode: 'sim' });
  expect(key.status).toBe(201);
  const row = await stack.db.apiKey.findUniqueOrThrow({ where: { id: key.json.id } });
  const credentials = JSON.parse(stack.keyring.decrypt(row.ciphertext, `apikey:${row.id}`)) as { apiKey: string; secret: string; passphrase: string };
  const res = await fetch(`${stack.simUrl}/sim/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...credentials, demo: false }) });
  expect([200, 201]).toContain(res.status);
  return { id: row.id, userId: row.userId, client: createBitgetClient({ baseUrl: stack.simUrl, mode: 'sim', credentials }) };
}

const trades = async (workerId: string) => (await http('GET', `/api/trades?workerId=${workerId}`)).json.items as Record<string, string | null>[];

describe('order reconciliation', () => {
  it('a market order placed by a worker becomes filled with the fill, fee and P&L the exchange reports', async () => {
    const key = await simKey('rec-market');
    await pin('50000');
    const worker = await http('POST', '/api/workers', {
      name: 'rec-market', enabled: false, schedule: { every: '1m' }, keyId: key.id,
      code: 'export async function tick(ctx) { await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.001" }); }',
    });
    expect((await http('POST', `/api/workers/${worker.json.id}/run`)).json.status).toBe('ok');
    // No reconcileNow: the scheduler's own job does it.
    const trade = await until('the order reconciled to filled', async () => (await trades(worker.json.id)).find((t) => t.status === 'filled'), 8000);
    const detail = (await key.client.call('futures_order_detail', [{ symbol: 'BTCUSDT', order_id: trade.orderId }])).data as Record<string, string>;
    expect(detail.state).toBe('filled');
    expect(trade).toMatchObject({ fillSize: detail.baseVolume, fillPrice: detail.priceAvg, fee: detail.fee, realizedPnl: detail.totalProfits });
    // Pinned at 50000 the synthetic book's best ask is 50000.1; taker fee 0.06 % of 50.0001 USDT, a debit.
    expect(trade).toMatchObject({ fillSize: '0.001', fillPrice: '50000.1', fee: '-0.03000006', realizedPnl: '0' });
  });

  it('a resting limit order stays accepted until the price crosses it; a cancelled one is confirmed cancelled', async () => {
    const key = await simKey('rec-limit');
    await pin('50000');
    const worker = await http('POST', '/api/workers', {
      name: 'rec-limit', enabled: false, schedule: { every: '1m' }, keyId: key.id,
      code: `export async function tick(ctx) {
        if (!ctx.state.get("a")) {
          const a = await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.001", order_type: "limit", price: "45000" });
          const b = await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.001", order_type: "limit", price: "44000" });
          ctx.state.set("a", a.data.orderId); ctx.state.set("b", b.data.orderId);
        } else {
          await ctx.bitget.futures_cancel_order({ symbol: "BTCUSDT", order_id: ctx.state.get("b") });
        }
      }`,
    });
    expect((await http('POST', `/api/workers/${worker.json.id}/run`)).json.status).toBe('ok');
    const byPrice = async () => Object.fromEntries((await trades(worker.json.id)).map((t) => [t.price, t]));
    await stack.reconcileNow();
    let rows = await byPrice();
    expect(rows['45000']).toMatchObject({ status: 'accepted', fillSize: null, fillPrice: null });
    expect(rows['44000']).toMatchObject({ status: 'accepted', fillSize: null });

    expect((await http('POST', `/api/workers/${worker.json.id}/run`)).json.status).toBe('ok');
    expect((await byPrice())['44000']!.status).toBe('cancelled'); // the journal's own onChange
    await pin('44500');
    await stack.reconcileNow();
    rows = await byPrice();
    // Buy limit 45000 rests, then fills at its own price as maker (0.02 % of 45 USDT).
    expect(rows['45000']).toMatchObject({ status: 'filled', fillSize: '0.001', fillPrice: '45000', fee: '-0.009', realizedPnl: '0' });
    // Reconciliation agrees with the journal and records that nothing filled.
    expect(rows['44000']).toMatchObject({ status: 'cancelled', fillSize: '0', fillPrice: null, fee: '0' });
  });

  it('a modify with a new size and price journals the replacing order, which reconciliation follows to filled; a TP/SL-only modify keeps the order followed', async () => {
    const key = await simKey('rec-modify');
    await pin('50000');
    const worker = await http('POST', '/api/workers', {
      name: 'rec-modify', enabled: false, schedule: { every: '1m' }, keyId: key.id,
      code: `export async function tick(ctx) {
        if (!ctx.state.get("a")) {
          await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.001", order_type: "limit", price: "44000", client_oid: "grid-a", margin_mode: "isolated" });
          const b = await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.001", order_type: "limit", price: "43000" });
          ctx.state.set("a", "grid-a"); ctx.state.set("b", b.data.orderId);
        } else {
          await ctx.bitget.futures_modify_order({ symbol: "BTCUSDT", client_oid: "grid-a", new_size: "0.002", new_price: "45000", new_client_oid: "grid-a2" });
          await ctx.bitget.futures_modify_order({ symbol: "BTCUSDT", order_id: ctx.state.get("b"), new_preset_stop_loss_price: "40000" });
        }
      }`,
    });
    expect((await http('POST', `/api/workers/${worker.json.id}/run`)).json.status).toBe('ok');
    const second = await http('POST', `/api/workers/${worker.json.id}/run`);
    expect(second.json.status).toBe('ok');
    const byOid = async (): Promise<Record<string, Record<string, string | null>>> => Object.fromEntries((await trades(worker.json.id)).map((t) => [t.clientOid, t]));
    let rows = await byOid();
    const replacing = (await key.client.call('futures_order_detail', [{ symbol: 'BTCUSDT', client_oid: 'grid-a2' }])).data as Record<string, string>;
    expect(Object.keys(rows)).toHaveLength(3);
    expect(rows['grid-a']).toMatchObject({ action: 'place', status: 'replaced', size: '0.001', price: '44000' });
    // The replacing order: the new size and price, the rest from the order it replaced.
    expect(rows['grid-a2']).toMatchObject({
      action: 'replace', status: 'accepted', orderId: replacing.orderId, size: '0.002', price: '45000',
      side: 'buy', orderType: 'limit', productType: 'USDT-FUTURES', symbol: 'BTCUSDT',
    });
    expect((await stack.db.tradeLog.findFirstOrThrow({ where: { keyId: key.id, clientOid: 'grid-a2' } })).marginMode).toBe('isolated');
    const tpsl = Object.values(rows).find((t) => t.clientOid !== 'grid-a' && t.clientOid !== 'grid-a2')!;
    expect(tpsl).toMatchObject({ action: 'place', status: 'accepted', price: '43000' });

    await pin('42500');
    await stack.reconcileNow();
    rows = await byOid();
    // Both resting buys fill at their own prices as maker; the replaced one is looked up once for
    // fills before the modify (none) and stays `replaced`.
    expect(rows['grid-a2']).toMatchObject({ status: 'filled', fillSize: '0.002', fillPrice: '45000' });
    expect(rows[tpsl.clientOid!]).toMatchObject({ status: 'filled', fillSize: '0.001', fillPrice: '43000' });
    expect(rows['grid-a']).toMatchObject({ status: 'replaced', fillSize: '0', fillPrice: null });
  });

  it('plan and TP/SL orders are followed through their trigger to the order it placed, its fills and P&L', async () => {
    const key = await simKey('rec-plan');
    await pin('50000');
    const worker = await http('POST', '/api/workers', {
      name: 'rec-plan', enabled: false, schedule: { every: '1m' }, keyId: key.id,
      code: `export async function tick(ctx) {
        if (!ctx.state.get("step")) {
          await ctx.bitget.futures_place_plan_order({ symbol: "BTCUSDT", side: "buy", size: "0.002", trigger_price: "50500", client_oid: "entry" });
          await ctx.bitget.futures_place_plan_order({ symbol: "BTCUSDT", side: "buy", size: "1000", trigger_price: "50400", client_oid: "too-big" });
          await ctx.bitget.futures_place_plan_order({ symbol: "BTCUSDT", side: "buy", size: "0.001", trigger_price: "60000", client_oid: "far" });
          ctx.state.set("step", 1);
        } else {
          await ctx.bitget.futures_place_tpsl_order({ symbol: "BTCUSDT", plan_type: "pos_loss", trigger_price: "49000", hold_side: "long", client_oid: "stop" });
        }
      }`,
    });
    expect((await http('POST', `/api/workers/${worker.json.id}/run`)).json.status).toBe('ok');
    const byOid = async (): Promise<Record<string, Record<string, string | null>>> => Object.fromEntries((await trades(worker.json.id)).map((t) => [t.clientOid, t]));
    await stack.reconcileNow();
    let rows = await byOid();
    for (const oid of ['entry', 'too-big', 'far']) expect(rows[oid]).toMatchObject({ action: 'plan', status: 'accepted', triggeredOrderId: null, fillSize: null });

    await pin('50600'); // fires "entry" (a position of 0.002) and "too-big" (no margin for it)
    // Cancelled outside the worker (on the exchange): the journal learns it from the plan history.
    await key.client.call('futures_cancel_plan_order', [{ symbol: 'BTCUSDT', client_oid: 'far' }]);
    await stack.reconcileNow();
    rows = await byOid();
    const history = (await key.client.call('futures_plan_orders_history', [{ symbol: 'BTCUSDT', client_oid: 'entry' }])).data as { entrustedList: Record<string, string>[] };
    const placedByEntry = history.entrustedList[0]!.executeOrderId!;
    const entryOrder = (await key.client.call('futures_order_detail', [{ symbol: 'BTCUSDT', order_id: placedByEntry }])).data as Record<string, string>;
    expect(rows['entry']).toMatchObject({ status: 'filled', triggeredOrderId: placedByEntry, fillSize: '0.002', fillPrice: entryOrder.priceAvg, fee: entryOrder.fee });
    expect(rows['too-big']).toMatchObject({ status: 'failed', errorCode: 'TRIGGER_FAILED', triggeredOrderId: null });
    expect(rows['too-big']!.errorMessage).toMatch(/could not place its order/);
    expect(rows['far']).toMatchObject({ status: 'cancelled', fillSize: '0', triggeredOrderId: null });

    // A position stop-loss (whole position) fires: the row gets the closing order's fill and realised P&L.
    expect((await http('POST', `/api/workers/${worker.json.id}/run`)).json.status).toBe('ok');
    await pin('48900');
    await stack.reconcileNow();
    rows = await byOid();
    const stop = rows['stop']!;
    expect(stop).toMatchObject({ action: 'tpsl', status: 'filled', fillSize: '0.002' });
    const closing = (await key.client.call('futures_order_detail', [{ symbol: 'BTCUSDT', order_id: stop.triggeredOrderId! }])).data as Record<string, string>;
    expect(stop).toMatchObject({ fillPrice: closing.priceAvg, realizedPnl: closing.totalProfits });
    expect(Number(stop.realizedPnl)).toBeLessThan(0);
    // Terminal rows are not looked up again.
    const before = await stack.db.tradeLog.findMany({ where: { workerId: worker.json.id }, orderBy: { id: 'asc' } });
    await stack.reconcileNow();
    expect(await stack.db.tradeLog.findMany({ where: { workerId: worker.json.id }, orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('a pending plan row is resolved by clientOid from the plan history once it has fired', async () => {
    const key = await simKey('rec-plan-pending');
    await pin('50000');
    const oid = `tbxrecplan${randomBytes(8).toString('hex')}`;
    const never = `tbxrecplan${randomBytes(8).toString('hex')}`;
    const placed = (await key.client.call('futures_place_plan_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.001', trigger_price: '50100', client_oid: oid }])).data as { orderId: string };
    await pin('50200');
    const old = new Date(Date.now() - 120_000);
    const row = (clientOid: string) => ({
      userId: key.userId, keyId: key.id, mode: 'sim', market: 'futures', productType: 'USDT-FUTURES', action: 'plan',
      symbol: 'BTCUSDT', side: 'buy', orderType: 'market', clientOid, status: 'pending', request: { planType: 'normal_plan' }, createdAt: old,
    });
    await stack.db.tradeLog.createMany({ data: [row(oid), row(never)] });
    await stack.reconcileNow({ pendingGraceMs: 60_000 });
    const rows = Object.fromEntries((await stack.db.tradeLog.findMany({ where: { keyId: key.id } })).map((r) => [r.clientOid, r]));
    expect(rows[oid]).toMatchObject({ status: 'filled', orderId: placed.orderId, errorCode: null });
    expect(rows[oid]!.triggeredOrderId).toMatch(/^\d+$/);
    expect(rows[oid]!.fillSize!.toString()).toBe('0.001');
    expect(rows[never]).toMatchObject({ status: 'failed', errorCode: 'NOT_PLACED', orderId: null });
  });

  it('resolves pending rows older than the grace period by clientOid and leaves young ones alone', async () => {
    const key = await simKey('rec-pending');
    await pin('50000');
    const oid = () => `tbxrec${randomBytes(12).toString('hex')}`;
    const placed = { futuresMarket: oid(), futuresLimit: oid(), spotMarket: oid() };
    const r1 = await key.client.call('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.002', client_oid: placed.futuresMarket }]);
    const r2 = await key.client.call('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.001', order_type: 'limit', price: '40000', client_oid: placed.futuresLimit }]);
    const r3 = await key.client.call('spot_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '10', order_type: 'market', client_oid: placed.spotMarket }]);
    const never = { futures: oid(), spot: oid() };
    const young = oid();
    const old = new Date(Date.now() - 120_000);
    const row = (clientOid: string, market: 'futures' | 'spot', createdAt: Date, extra: Record<string, unknown> = {}) => ({
      userId: key.userId, keyId: key.id, mode: 'sim', market, productType: market === 'futures' ? 'USDT-FUTURES' : null, action: 'place',
      symbol: 'BTCUSDT', side: 'buy', orderType: 'market', clientOid, status: 'pending', request: {}, createdAt, ...extra,
    });
    const deletedKeyOid = oid();
    // A key that cannot be used (its ciphertext does not decrypt): its pass fails, the others go on.
    const broken = await stack.db.apiKey.create({
      data: { userId: key.userId, name: 'broken', mode: 'sim', apiKeyHint: 'x', ...stack.keyring.encrypt('{}', 'apikey:someone-else') },
    });
    const brokenOid = oid();
    await stack.db.tradeLog.createMany({
      data: [
        row(placed.futuresMarket, 'futures', old), row(placed.futuresLimit, 'futures', old, { orderType: 'limit' }), row(placed.spotMarket, 'spot', old),
        row(never.futures, 'futures', old), row(never.spot, 'spot', old), row(young, 'futures', new Date()),
        { ...row(deletedKeyOid, 'futures', old), keyId: randomUUID() },
        { ...row(brokenOid, 'futures', old), keyId: broken.id },
      ],
    });

    const summary = await stack.reconcileNow({ pendingGraceMs: 60_000 });
    expect(summary.skippedKeys).toBeGreaterThanOrEqual(1);
    expect(summary.failedKeys + summary.deferredKeys).toBeGreaterThanOrEqual(1); // deferred: a background pass failed it first
    const rows = Object.fromEntries((await stack.db.tradeLog.findMany({ where: { userId: key.userId } })).map((r) => [r.clientOid, r]));
    expect(rows[placed.futuresMarket]).toMatchObject({ status: 'filled', orderId: (r1.data as { orderId: string }).orderId });
    expect(rows[placed.futuresMarket]!.fillSize!.toString()).toBe('0.002');
    expect(rows[placed.futuresMarket]!.fee!.toString()).toBe('-0.06000012');
    expect(rows[placed.futuresLimit]).toMatchObject({ status: 'accepted', orderId: (r2.data as { orderId: string }).orderId, fillSize: null });
    // Spot orderInfo does not find a filled order by clientOid: found in the order history instead.
    const spot = rows[placed.spotMarket]!;
    expect(spot).toMatchObject({ status: 'filled', orderId: (r3.data as { orderId: string }).orderId });
    const spotDetail = ((await key.client.call('spot_order_detail', [{ order_id: spot.orderId }])).data as Record<string, string>[])[0]!;
    expect(spot.fillSize!.equals(spotDetail.baseVolume!)).toBe(true);
    expect(spot.fillSize!.isPositive()).toBe(true);
    expect(spot.fillPrice!.equals(spotDetail.priceAvg!)).toBe(true);
    // The fee is the BTC amount inside feeDetail (a JSON string), negative = a debit.
    const btcFee = /"BTC":\{[^}]*"totalFee":(-?[0-9.eE-]+)/.exec(spotDetail.feeDetail!)![1]!;
    expect(spot.fee!.equals(btcFee)).toBe(true);
    expect(spot.fee!.isNegative()).toBe(true);
    for (const c of [never.futures, never.spot]) {
      expect(rows[c]).toMatchObject({ status: 'failed', errorCode: 'NOT_PLACED', orderId: null });
      expect(rows[c]!.errorMessage).toMatch(/never placed/);
    }
    expect(rows[young]).toMatchObject({ status: 'pending', orderId: null, errorCode: null });
    expect(rows[deletedKeyOid]).toMatchObject({ status: 'pending' });
    expect(rows[brokenOid]).toMatchObject({ status: 'pending' });
  });
});
