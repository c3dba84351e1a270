import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const BASE = { DATABASE_URL: 'postgres://x', REDIS_URL: 'redis://x', TICKBOX_MASTER_KEYS: `k1:${Buffer.alloc(32).toString('base64')}` };
const trust = (value: string | undefined) => loadConfig({ ...BASE, TICKBOX_TRUST_PROXY: value }).trustProxy;

describe('TICKBOX_TRUST_PROXY', () => {
  it('is off unless set', () => {
    expect(trust(undefined)).toBe(false);
    expect(trust('')).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust(' , ')).toBe(false);
  });

  it("refuses true: the left-most X-Forwarded-For address is the client's own words", () => {
    expect(() => trust('TRUE')).toThrow(/TICKBOX_TRUST_PROXY=true is not supported: .*list the proxy's addresses instead/);
  });

  it('takes a comma-separated list of proxy addresses, CIDR ranges and proxy-addr range names, normalised', () => {
    expect(trust('127.0.0.1, 10.1.2.3/8 ,2001:DB8::1,loopback,')).toEqual(['127.0.0.1', '10.0.0.0/8', '2001:db8::1', 'loopback']);
  });

  it('refuses hop counts and entries that are not addresses, naming them', () => {
    expect(() => trust('1')).toThrow(/TICKBOX_TRUST_PROXY=1: a number of hops is not supported/);
    expect(() => trust('127.0.0.1,proxy.internal')).toThrow(/TICKBOX_TRUST_PROXY: "proxy.internal" is not an IPv4 or IPv6 address/);
    expect(() => trust('10.0.0.0/40')).toThrow(/"10.0.0.0\/40" is not a valid CIDR range/);
  });
});
