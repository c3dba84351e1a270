import { createHash } from 'node:crypto';
import { d, str } from './decimal.ts';
import { SimulatorConfigError } from './errors.ts';
import { coinSpec, productTypeOfMarginCoin } from './market/instruments.ts';
import type { AccountSpec, AccountState, SimState } from './types.ts';

/** Balances of a new account when the spec gives none (documented in the README). */
export const DEFAULT_BALANCES = {
  live: { spot: { USDT: '10000', BTC: '0.1', ETH: '1' }, futures: { USDT: '10000', USDC: '10000', BTC: '0.1', ETH: '1' } },
  demo: { spot: { USDT: '50000', BTC: '1', ETH: '10' }, futures: { USDT: '50000', USDC: '50000', BTC: '1', ETH: '10' } },
} as const;

export function createState(seed: number, now: number): SimState {
  return { version: 1, seed, epochMs: Math.floor(now / 60_000) * 60_000, clockOffsetMs: 0, lastSyncMs: now, lastId: '0', priceSegments: {}, fundingOverrides: {}, accounts: {} };
}

function uidOf(apiKey: string): string {
  const h = createHash('sha256').update(apiKey).digest();
  return String(1_000_000_000 + (h.readUInt32BE(0) % 8_999_999_999));
}

export type AccountResult = 'created' | 'exists';

/** Idempotent: the same key with the same credentials returns the existing account untouched. */
export function upsertAccount(state: SimState, spec: AccountSpec, now: number): AccountResult {
  if (!spec.apiKey || !spec.secret || !spec.passphrase) throw new SimulatorConfigError('ACCOUNT_INVALID', 'apiKey, secret and passphrase are required');
  const existing = state.accounts[spec.apiKey];
  if (existing) {
    if (existing.secret !== spec.secret || existing.passphrase !== spec.passphrase) {
      throw new SimulatorConfigError('ACCOUNT_CONFLICT', `account ${spec.apiKey} exists with different credentials`);
    }
    return 'exists';
  }
  const demo = spec.demo === true;
  const defaults = demo ? DEFAULT_BALANCES.demo : DEFAULT_BALANCES.live;
  const spot: Record<string, string> = { ...(spec.balances?.spot ?? defaults.spot) };
  const futures: Record<string, string> = { ...(spec.balances?.futures ?? defaults.futures) };
  const acct: AccountState = {
    apiKey: spec.apiKey, secret: spec.secret, passphrase: spec.passphrase, demo, uid: uidOf(spec.apiKey), createdAt: now,
    spot: { balances: {}, orders: [], fills: [] },
    futures: { wallets: {}, posModes: {}, settings: {}, positions: [], orders: [], plans: [], fills: [] },
  };
  for (const [coin, amount] of Object.entries(spot)) {
    acct.spot.balances[coin.toUpperCase()] = { available: checkAmount(amount, coin), frozen: '0', uTime: now };
  }
  for (const [coin, amount] of Object.entries(futures)) {
    const c = coin.toUpperCase();
    if (c !== 'USDT' && c !== 'USDC' && !coinSpec(c)) throw new SimulatorConfigError('ACCOUNT_INVALID', `no futures product is margined in ${c}`);
    acct.futures.wallets[`${productTypeOfMarginCoin(c)}:${c}`] = checkAmount(amount, coin);
  }
  state.accounts[spec.apiKey] = acct;
  return 'created';
}

function checkAmount(amount: string, coin: string): string {
  try {
    const v = d(amount);
    if (v.isNeg() || !v.isFinite()) throw new Error('negative');
    return str(v);
  } catch (cause) {
    throw new SimulatorConfigError('ACCOUNT_INVALID', `balance of ${coin} is not a decimal amount`, { cause });
  }
}
