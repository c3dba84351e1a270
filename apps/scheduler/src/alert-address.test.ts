import { describe, expect, it } from 'vitest';
import { isPrivateAddress, publicOnlyLookup } from './alert-address.ts';

describe('alert destinations', () => {
  it('private, loopback, link-local and mapped addresses are private; public ones are not', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '64:ff9b::a00:1', '2002:a00:1::1', 'not-an-ip']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['1.1.1.1', '8.8.8.8', '2606:4700:4700::1111', '::ffff:1.1.1.1']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('the connect-time lookup refuses a name that resolves to a private address, unless allowed', async () => {
    const resolve = (allow: boolean) => new Promise<string>((ok, fail) => {
      publicOnlyLookup(allow)('localhost', {}, (err, address) => (err ? fail(err) : ok(address as string)));
    });
    await expect(resolve(false)).rejects.toThrow(/^localhost resolves to a private address \(.+\); alerts only go to public hosts$/);
    expect(isPrivateAddress(await resolve(true))).toBe(true);
  });
});
