import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { createBitgetClient } from '@tickbox/bitget';
import type { BitgetClient, OrderHooks, RateLimiter } from '@tickbox/bitget';
import type { ApiKey } from '@tickbox/db';
import type { Keyring } from '@tickbox/secrets';

export interface Credentials { apiKey: string; secret: string; passphrase: string }
export interface BitgetHostOptions {
  keyring: Keyring;
  /** Where live and demo keys go (the real Bitget host unless overridden). */
  liveBaseUrl: string;
  /** The simulator, where sim keys go; undefined when no simulator is configured. */
  simUrl?: string;
  /** Sandbox runner processes serving public calls from this host's IP; each gets 1/runners of the per-IP limit. Default 1. */
  runners?: number;
  limiter: RateLimiter;
  dispatcher: Dispatcher;
  /** A journal write that failed after the exchange answered (the order exists; reconciliation follows it up). */
  onHookError?: (error: unknown, hook: 'afterSend' | 'onChange') => void;
}

/**
 * Builds a worker's `ctx.bitget` client for one run. Decrypted credentials are cached per
 * key row (a replaced key, i.e. a new ciphertext, is re-read and replaces the entry), and sim
 * accounts are provisioned on the simulator once per process.
 */
export function createBitgetHost(options: BitgetHostOptions) {
  // One entry per key row; a rotated key (new ciphertext) replaces its entry, so old secrets do not linger.
  const creds = new Map<string, { ciphertext: string; credentials: Credentials }>();
  const provisioned = new Set<string>();

  function decrypt(key: ApiKey): Credentials {
    const cached = creds.get(key.id);
    if (cached?.ciphertext === key.ciphertext) return cached.credentials;
    const credentials = JSON.parse(options.keyring.decrypt(key.ciphertext, `apikey:${key.id}`)) as Credentials;
    creds.set(key.id, { ciphertext: key.ciphertext, credentials });
    return credentials;
  }

  async function provisionSim(c: Credentials): Promise<void> {
    if (!options.simUrl || provisioned.has(c.apiKey)) return;
    const res = await request(`${options.simUrl}/sim/accounts`, {
      method: 'POST', dispatcher: options.dispatcher,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: c.apiKey, secret: c.secret, passphrase: c.passphrase, demo: false }),
    });
    await res.body.dump();
    if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`simulator refused the sim key (HTTP ${res.statusCode})`);
    provisioned.add(c.apiKey);
  }

  return {
    /** Where a key's PUBLIC calls go, for the sandbox's runner-local host (no credentials in it). */
    publicConfig(key: ApiKey | null, productType: string): { baseUrl: string; mode: 'live' | 'demo' | 'sim'; productType: string; ipShare?: number } {
      const mode = (key?.mode ?? 'live') as 'live' | 'demo' | 'sim';
      const runners = options.runners ?? 1;
      return { baseUrl: mode === 'sim' ? options.simUrl ?? '' : options.liveBaseUrl, mode, productType, ...(runners > 1 ? { ipShare: 1 / runners } : {}) };
    },
    async clientFor(key: ApiKey | null, productType: string, hooks: OrderHooks): Promise<BitgetClient> {
      const mode = (key?.mode ?? 'live') as 'live' | 'demo' | 'sim';
      const credentials = key ? decrypt(key) : undefined;
      if (mode === 'sim') {
        if (!options.simUrl) throw new Error('this key is a sim key but no simulator is configured (set SIM_URL)');
        if (credentials) await provisionSim(credentials);
      }
      return createBitgetClient({
        baseUrl: mode === 'sim' ? options.simUrl! : options.liveBaseUrl,
        mode,
        credentials,
        productType: productType as 'USDT-FUTURES',
        limiter: options.limiter,
        dispatcher: options.dispatcher,
        hooks,
        onHookError: options.onHookError,
      });
    },
  };
}

export type BitgetHost = ReturnType<typeof createBitgetHost>;
