import { BlockList, isIP, SocketAddress } from 'node:net';

/** Why an IP address or CIDR range was refused; `reason` completes "<entry> …". */
export class IpRangeError extends Error {
  override name = 'IpRangeError';
  readonly code = 'invalid_ip_range';
  readonly reason: string;
  constructor(reason: string) {
    super(`is ${reason}`);
    this.reason = reason;
  }
}

export interface IpRange { address: string; family: 'ipv4' | 'ipv6'; prefix: number }

const bits = (family: IpRange['family']) => (family === 'ipv4' ? 32 : 128);
const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

/**
 * One allowlist entry: an IPv4 or IPv6 address or a CIDR range, normalised — IPv6 compressed and
 * lower-case, host bits cleared (`10.1.2.3/8` is `10.0.0.0/8`), and an IPv4-mapped IPv6 address
 * or range (`::ffff:1.2.3.4`) written as the IPv4 one it stands for.
 */
export function parseIpRange(raw: string): IpRange {
  const text = raw.trim();
  if (text === '') throw new IpRangeError('empty');
  if (text.includes('%')) throw new IpRangeError('an address with a zone id (%…), which no remote sender has');
  const [address, prefixText, extra] = text.split('/');
  const version = isIP(address!);
  if (extra !== undefined || version === 0) throw new IpRangeError('not an IPv4 or IPv6 address or CIDR range (e.g. 52.89.214.238, 10.0.0.0/8, 2001:db8::/32)');
  let family: IpRange['family'] = version === 4 ? 'ipv4' : 'ipv6';
  let prefix = bits(family);
  if (prefixText !== undefined) {
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > prefix) {
      throw new IpRangeError(`not a valid CIDR range: the prefix length of an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} range is /0 to /${prefix}`);
    }
    prefix = Number(prefixText);
  }
  let normal = new SocketAddress({ address: address!, family }).address;
  const mapped = family === 'ipv6' ? MAPPED.exec(normal) : null;
  if (mapped && prefix >= 96) {
    family = 'ipv4';
    normal = mapped[1]!;
    prefix -= 96;
  }
  return { address: fromBigInt(toBigInt(normal, family) & mask(family, prefix), family), family, prefix };
}

/** `1.2.3.4`, `10.0.0.0/8`: a whole-address range is written without its prefix. */
export function formatIpRange(r: IpRange): string {
  return r.prefix === bits(r.family) ? r.address : `${r.address}/${r.prefix}`;
}

/** The sender as the allowlist sees it: no zone id, and an IPv4-mapped IPv6 address as IPv4. */
export function senderAddress(ip: string): string {
  const plain = ip.split('%', 1)[0]!;
  if (isIP(plain) !== 6) return plain;
  const normal = new SocketAddress({ address: plain, family: 'ipv6' }).address;
  return MAPPED.exec(normal)?.[1] ?? normal;
}

/**
 * Whether `ip` may send alerts: always with an empty list. An entry that no longer parses (only
 * possible by editing the database) matches nothing, so a broken list refuses rather than opens.
 */
export function allowlistIncludes(list: readonly string[], ip: string): boolean {
  if (list.length === 0) return true;
  const sender = senderAddress(ip);
  const version = isIP(sender);
  if (version === 0) return false;
  const block = new BlockList();
  for (const entry of list) {
    let r: IpRange;
    try { r = parseIpRange(entry); } catch { continue; }
    if (r.prefix === bits(r.family)) block.addAddress(r.address, r.family);
    else block.addSubnet(r.address, r.prefix, r.family);
  }
  return block.check(sender, version === 4 ? 'ipv4' : 'ipv6');
}

function mask(family: IpRange['family'], prefix: number): bigint {
  const width = BigInt(bits(family));
  return ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
}

function v4ToBigInt(address: string): bigint {
  return address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
}

/** A normalised address (SocketAddress form: `::` at most once, perhaps a dotted IPv4 tail) as a number. */
function toBigInt(address: string, family: IpRange['family']): bigint {
  if (family === 'ipv4') return v4ToBigInt(address);
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToBigInt(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function fromBigInt(n: bigint, family: IpRange['family']): string {
  if (family === 'ipv4') return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((n >> shift) & 0xffffn).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}
