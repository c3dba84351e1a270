import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminHandler } from './admin.ts';
import { SimulatorConfigError } from './errors.ts';
import { Exchange } from './exchange.ts';
import { FailInjector } from './fail-injection.ts';
import { createRequestHandler } from './http-server.ts';
import { createMarketEvents } from './market-events.ts';
import { loadCandlesCsv } from './market/csv-source.ts';
import { MarketData } from './market/market-data.ts';
import { PriceFeed } from './market/price-feed.ts';
import { loadState, StateSaver } from './persistence.ts';
import { RateLimiter } from './rate-limit.ts';
import { RequestLog } from './request-log.ts';
import { mixAccountRoutes } from './routes/mix-account.ts';
import { mixMarketRoutes } from './routes/mix-market.ts';
import { mixOrderRoutes } from './routes/mix-order.ts';
import { mixPlanRoutes } from './routes/mix-plan.ts';
import { spotMarketRoutes } from './routes/spot-market.ts';
import { spotTradeRoutes } from './routes/spot-trade.ts';
import { createState, upsertAccount } from './state.ts';
import type { AccountSpec, Simulator, SimulatorLogger, SimulatorOptions } from './types.ts';

const quietLogger: SimulatorLogger = { info: () => {}, warn: (...a) => console.warn(...a) };

export const ROUTES = [...mixMarketRoutes, ...spotMarketRoutes, ...mixAccountRoutes, ...mixOrderRoutes, ...mixPlanRoutes, ...spotTradeRoutes];

/**
 * A local Bitget v2 exchange over real HTTP. State (accounts, orders, positions, price pins)
 * lives in memory and, with `dataFile`, is loaded when the simulator is created and saved
 * (debounced, atomically) on every change and on stop.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? quietLogger;
  const loaded = options.dataFile ? loadState(options.dataFile) : undefined;
  if (loaded && options.seed !== undefined && loaded.seed !== options.seed) {
    logger.warn(`simulator state in ${options.dataFile} uses seed ${loaded.seed}; keeping it (requested ${options.seed})`);
  }
  const state = loaded ?? createState(options.seed ?? 1, now());
  const feed = new PriceFeed(state, options.candlesCsv ? loadCandlesCsv(options.candlesCsv) : undefined);
  const market = new MarketData(feed, state);
  const saver = options.dataFile ? new StateSaver(options.dataFile, () => state, logger) : undefined;
  const ex = new Exchange({ state, feed, market, now, logger, onChange: () => saver?.schedule() });
  ex.setEvents(createMarketEvents(ex));

  let url = '';
  let server: Server | undefined;
  const hanging = new Set<ServerResponse>();
  const fails = new FailInjector();
  const log = new RequestLog(1000);
  const createAccount = (spec: AccountSpec) => {
    const result = upsertAccount(state, spec, ex.now());
    if (result === 'created') {
      logger.info(`simulator account ${spec.apiKey} created${spec.demo ? ' (demo)' : ''}`);
      ex.changed();
    }
    return result;
  };
  const admin = createAdminHandler({ ex, fails, log, createAccount, url: () => url, anyHost: options.adminFromAnyHost === true });
  const handler = createRequestHandler({ ex, routes: ROUTES, limiter: options.rateLimits === false ? undefined : new RateLimiter(now), fails, log, admin, hanging });

  return {
    get url() {
      return url;
    },
    async start() {
      if (server) return url;
      const s = createServer({ keepAlive: true }, handler);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
      });
      server = s;
      const addr = s.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      url = `http://${host}:${addr.port}`;
      logger.info(`bitget simulator listening on ${url}`);
      return url;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) {
        for (const res of hanging) res.destroy();
        hanging.clear();
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      }
      await saver?.flush();
    },
    createAccount(spec: AccountSpec) {
      try {
        createAccount(spec);
      } catch (err) {
        if (err instanceof SimulatorConfigError) throw err;
        throw new SimulatorConfigError('ACCOUNT_INVALID', 'could not create account', { cause: err });
      }
    },
  };
}
