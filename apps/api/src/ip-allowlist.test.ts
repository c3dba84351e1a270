import { describe, expect, it } from 'vitest';
import { allowlistIncludes, formatIpRange, parseIpRange, senderAddress } from './ip-allowlist.ts';

const normal = (text: string) => formatIpRange(parseIpRange(text));

describe('parseIpRange', () => {
  it('normalises addresses and ranges', () => {
    expect(normal(' 52.89.214.238 ')).toBe('52.89.214.238');
    expect(normal('52.89.214.238/32')).toBe('52.89.214.238');
    expect(normal('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(normal('0.0.0.0/0')).toBe('0.0.0.0/0');
    expect(normal('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normal('2001:db8:abcd:12::1/33')).toBe('2001:db8:8000::/33');
    expect(normal('2001:db8::1/128')).toBe('2001:db8::1');
    expect(normal('::/0')).toBe('::/0');
    expect(normal('::1')).toBe('::1');
    // IPv4-mapped IPv6: the IPv4 address or range it stands for.
    expect(normal('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(normal('::FFFF:0102:0304')).toBe('1.2.3.4');
    expect(normal('::ffff:10.9.8.7/104')).toBe('10.0.0.0/8');
    expect(normal('::ffff:1.2.3.4/96')).toBe('0.0.0.0/0');
    expect(normal('::ffff:1.2.3.4/80')).toBe('::/80');
  });

  it('refuses what is not an address or a CIDR range, saying why', () => {
    for (const bad of ['', '  ', 'localhost', '1.2.3', '1.2.3.999', '01.2.3.4', '10.0.0.0/8/8', '2001:db8:::1', 'tradingview']) {
      expect(() => parseIpRange(bad), bad).toThrow(/^is (empty|not an IPv4 or IPv6 address or CIDR range)/);
    }
    expect(() => parseIpRange('10.0.0.0/33')).toThrow('is not a valid CIDR range: the prefix length of an IPv4 range is /0 to /32');
    expect(() => parseIpRange('2001:db8::/129')).toThrow(/IPv6 range is \/0 to \/128/);
    for (const bad of ['1.2.3.4/', '10.0.0.0/-1', '10.0.0.0/08', '10.0.0.0/x', '10.0.0.0/ 8']) expect(() => parseIpRange(bad), bad).toThrow(/prefix length/);
    expect(() => parseIpRange('fe80::1%eth0')).toThrow(/zone id/);
  });
});

describe('allowlistIncludes', () => {
  const tradingView = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

  it('lets anyone through an empty list', () => {
    expect(allowlistIncludes([], '203.0.113.9')).toBe(true);
  });

  it('matches addresses and ranges of both families; IPv4-mapped senders match IPv4 entries', () => {
    expect(allowlistIncludes(tradingView, '52.89.214.238')).toBe(true);
    expect(allowlistIncludes(tradingView, '::ffff:52.89.214.238')).toBe(true);
    expect(allowlistIncludes(tradingView, '::ffff:3459:d6ee')).toBe(true);
    expect(allowlistIncludes(tradingView, '52.89.214.239')).toBe(false);
    expect(allowlistIncludes(['10.0.0.0/8'], '10.255.0.1')).toBe(true);
    expect(allowlistIncludes(['10.0.0.0/8'], '::ffff:10.255.0.1')).toBe(true);
    expect(allowlistIncludes(['10.0.0.0/8'], '11.0.0.1')).toBe(false);
    expect(allowlistIncludes(['2001:db8::/32'], '2001:db8:1::5')).toBe(true);
    expect(allowlistIncludes(['2001:db8::/32'], '2001:db9::5')).toBe(false);
    expect(allowlistIncludes(['::1'], '::1')).toBe(true);
    expect(allowlistIncludes(['::1'], '127.0.0.1')).toBe(false);
    expect(allowlistIncludes(['fe80::/10'], 'fe80::1%eth0')).toBe(true);
  });

  it('refuses a sender it cannot read, and skips entries that no longer parse instead of opening up', () => {
    expect(allowlistIncludes(tradingView, '')).toBe(false);
    expect(allowlistIncludes(['not-an-ip'], '1.2.3.4')).toBe(false);
    expect(allowlistIncludes(['not-an-ip', '1.2.3.4'], '1.2.3.4')).toBe(true);
  });

  it('names a mapped sender by its IPv4 address', () => {
    expect(senderAddress('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(senderAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(senderAddress('203.0.113.9')).toBe('203.0.113.9');
  });
});
