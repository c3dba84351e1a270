import type { Exchange, MarketEvents } from './exchange.ts';
import { fillResting, isOpen } from './futures/matching.ts';
import { evaluatePlans } from './futures/plans.ts';
import { fundingTimes, liquidate, settleFunding } from './futures/risk.ts';
import { fillRestingSpot, spotOrderOpen } from './spot/orders.ts';

/** What happens to every account when market time moves. */
export function createMarketEvents(ex: Exchange): MarketEvents {
  return {
    evaluate(t) {
      for (const acct of ex.accounts()) {
        evaluatePlans(ex, acct, t);
        // Plans may have placed resting orders; fill what the price already crossed, then liquidate.
        fillResting(ex, acct, t);
        liquidate(ex, acct, t);
        fillRestingSpot(ex, acct, t);
      }
    },
    fundingTimes,
    settleFunding(t) {
      for (const acct of ex.accounts()) settleFunding(ex, acct, t);
    },
    hasActivity() {
      return ex.accounts().some((a) =>
        a.futures.positions.length > 0 || a.futures.plans.some((p) => p.planStatus === 'live') || a.futures.orders.some(isOpen) || a.spot.orders.some(spotOrderOpen));
    },
  };
}
