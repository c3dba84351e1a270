import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBitgetDispatcher, createRateLimiterRegistry } from '@tickbox/bitget';
import { createKeyring, parseMasterKeys } from '@tickbox/secrets';
import { createBitgetHost } from './bitget-host.ts';

const keyring = createKeyring(parseMasterKeys(`e:${randomBytes(32).toString('base64')}`), 'e');
const host = (runners?: number) => createBitgetHost({
  keyring, liveBaseUrl: 'https://api.bitget.com', simUrl: 'http://127.0.0.1:1', limiter: createRateLimiterRegistry(), dispatcher: createBitgetDispatcher(),
  ...(runners === undefined ? {} : { runners }),
});

describe('publicConfig (what the runner-local public host of a run gets)', () => {
  it('splits the per-IP public limit between the runners, and says nothing of it for one runner', () => {
    expect(host().publicConfig(null, 'USDT-FUTURES')).toEqual({ baseUrl: 'https://api.bitget.com', mode: 'live', productType: 'USDT-FUTURES' });
    expect(host(1).publicConfig(null, 'USDT-FUTURES')).not.toHaveProperty('ipShare');
    expect(host(4).publicConfig(null, 'COIN-FUTURES')).toEqual({ baseUrl: 'https://api.bitget.com', mode: 'live', productType: 'COIN-FUTURES', ipShare: 0.25 });
  });
});
