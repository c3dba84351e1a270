import { createHmac } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import { createSimulator } from '../src/index.ts';

// Requests per second the simulator serves on one core (client and server share this process,
// so the figures are a lower bound). Prints figures only; nothing is asserted.
//   node --import tsx packages/bitget-sim/bench/throughput.ts [durationMs=3000] [concurrency=32]
const durationMs = Number(process.argv[2] ?? 3000);
const concurrency = Number(process.argv[3] ?? 32);

const sim = createSimulator({ rateLimits: false, seed: 1 });
const base = new URL(await sim.start());
const creds = { apiKey: 'bench', secret: 'bench-secret', passphrase: 'bench-pass' };
sim.createAccount({ ...creds, balances: { futures: { USDT: '100000000' }, spot: { USDT: '100000000' } } });
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

// Baseline measured in the same run: a bare node:http server answering a fixed ticker envelope.
const FIXED = JSON.stringify({ code: '00000', msg: 'success', requestTime: 0, data: [{ symbol: 'BTCUSDT', lastPr: '50000' }] });
const bare = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(FIXED); });
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', () => resolve()));
const bareBase = new URL(`http://127.0.0.1:${(bare.address() as { port: number }).port}`);

function send(method: 'GET' | 'POST', path: string, body: string, signed: boolean, target: URL = base): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signed) {
    const ts = String(Date.now());
    headers['ACCESS-KEY'] = creds.apiKey;
    headers['ACCESS-PASSPHRASE'] = creds.passphrase;
    headers['ACCESS-TIMESTAMP'] = ts;
    headers['ACCESS-SIGN'] = createHmac('sha256', creds.secret).update(ts + method + path + body).digest('base64');
  }
  if (body) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body || undefined);
  });
}

let baseline = 0;
async function run(name: string, next: (i: number) => Promise<number>): Promise<void> {
  let done = 0;
  let failed = 0;
  let i = 0;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const status = await next(i++);
      if (status === 200) done++;
      else failed++;
    }
  }));
  const secs = (performance.now() - started) / 1000;
  const rate = done / secs;
  if (!baseline) baseline = rate;
  console.log(`${name.padEnd(46)} ${Math.round(rate).toString().padStart(7)} req/s  ${(rate / baseline).toFixed(2)}× baseline  (${done} ok, ${failed} failed, ${concurrency} in flight)`);
}

console.log(`bitget-sim throughput, ${durationMs} ms per endpoint, node ${process.version}`);
await run('baseline: bare node:http, fixed JSON', () => send('GET', '/', '', false, bareBase));
await run('GET  /api/v2/mix/market/tickers (9 rows)', () => send('GET', '/api/v2/mix/market/tickers?productType=USDT-FUTURES', '', false));
await run('GET  /api/v2/mix/market/ticker', () => send('GET', '/api/v2/mix/market/ticker?symbol=BTCUSDT&productType=USDT-FUTURES', '', false));
await run('POST /api/v2/mix/order/place-order (market)', (i) =>
  send('POST', '/api/v2/mix/order/place-order', JSON.stringify({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', size: '0.001', side: i % 2 ? 'sell' : 'buy', orderType: 'market' }), true));
await run('POST /api/v2/mix/order/place-order (limit, rests)', (i) =>
  send('POST', '/api/v2/mix/order/place-order', JSON.stringify({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', size: '0.001', side: 'buy', orderType: 'limit', price: String(30000 + (i % 1000)) }), true));
agent.destroy();
bare.close();
await sim.stop();
