/**
 * The "DCA into a USDT perp" recipe of the reference SDK, in JavaScript. Two deliberate
 * changes: it buys once a minute instead of once an hour (so a new user sees an order within
 * a minute), and it sizes the order on BTCUSDT's 0.001 step and minimum, which the recipe's
 * round(50 / px, 4) would violate on the real exchange.
 */
export const DEMO_WORKER_CODE = `// DCA into a USDT perp: buy ~$100 of BTCUSDT (3x) at market every minute.
const SYMBOL = "BTCUSDT";
const USD_PER_BUY = 100;
const BUY_EVERY_MS = 60 * 1000;

export async function setup(ctx) {
  ctx.state.set("last_buy_ts", 0);
  // Set a sensible leverage once
  await ctx.bitget.futures_set_leverage(SYMBOL, 3);
}

export async function tick(ctx) {
  const now = Date.now();
  if (now - ctx.state.get("last_buy_ts", 0) < BUY_EVERY_MS) return;

  const px = Number((await ctx.bitget.futures_tickers({ symbol: SYMBOL })).data[0].lastPr);
  const qty = Math.max(0.001, Math.floor(USD_PER_BUY / px / 0.001) * 0.001).toFixed(3);

  const r = await ctx.bitget.futures_place_order({
    symbol: SYMBOL, side: "buy", size: qty, order_type: "market",
  });
  ctx.state.set("last_buy_ts", now);
  ctx.log.info(\`DCA long \${qty} BTC @ ~\${px} \${JSON.stringify(r.data)}\`);
}
`;
