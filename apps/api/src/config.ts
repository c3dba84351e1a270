import { defaultActiveKeyId } from '@tickbox/secrets';
import { formatIpRange, IpRangeError, parseIpRange } from './ip-allowlist.ts';

export interface ApiConfig {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  masterKeys: string;
  activeKeyId: string;
  logLevel: string;
  runTimeoutMs: number;
  queuePrefix: string;
  adminToken: string | undefined;
  /** Base of the URLs users (and alert senders) reach this api on; webhook URLs are built on it. */
  publicUrl: string | undefined;
  /** Fastify's trustProxy: which peers' X-Forwarded-For/-Proto/-Host are believed (the webhook allowlist checks the sender's IP). */
  trustProxy: false | string[];
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is required (see .env.example)`);
  return v;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${raw}")`);
  return n;
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try { url = new URL(raw); } catch { throw new Error(`TICKBOX_PUBLIC_URL must be an absolute http(s) URL (got "${raw}")`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`TICKBOX_PUBLIC_URL must be an http(s) URL (got "${raw}")`);
  return raw.replace(/\/+$/, '');
}

// @fastify/proxy-addr's names for common ranges.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TICKBOX_TRUST_PROXY: unset or `false` (the peer is the client), or a comma-separated list of
 * proxy addresses and CIDR ranges. `true` is refused: Fastify would then take the LEFT-most
 * X-Forwarded-For address, which the client writes itself (proxies append to the header), so any
 * sender could pass a webhook allowlist. Hop counts are refused too: Fastify 5 ignores them (it
 * cannot tell a proxy from a client by counting), which would silently trust no one.
 */
function trustProxy(raw: string | undefined): false | string[] {
  const text = (raw ?? '').trim();
  if (text === '' || text.toLowerCase() === 'false') return false;
  if (text.toLowerCase() === 'true') {
    throw new Error('TICKBOX_TRUST_PROXY=true is not supported: it would believe the left-most X-Forwarded-For address, which a client writes '
      + 'itself (proxies append to the header), so any sender could pass a webhook allowlist; list the proxy\'s addresses instead, '
      + 'e.g. TICKBOX_TRUST_PROXY=127.0.0.1, 10.0.0.0/8 or loopback');
  }
  if (/^\d+$/.test(text)) {
    throw new Error(`TICKBOX_TRUST_PROXY=${text}: a number of hops is not supported (Fastify cannot check that such requests came through your proxy); `
      + 'list the proxy\'s addresses instead, e.g. TICKBOX_TRUST_PROXY=127.0.0.1 or 10.0.0.0/8');
  }
  const proxies = text.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    if (PROXY_RANGE_NAMES.has(entry)) return entry;
    try {
      return formatIpRange(parseIpRange(entry));
    } catch (err) {
      if (!(err instanceof IpRangeError)) throw err;
      throw new Error(`TICKBOX_TRUST_PROXY: "${entry}" ${err.message}; use false or a comma-separated list of proxy addresses, CIDR ranges or loopback/linklocal/uniquelocal`);
    }
  });
  return proxies.length > 0 ? proxies : false;
}

export function loadConfig(env: NodeJS.ProcessEnv): Readonly<ApiConfig> {
  const masterKeys = required(env, 'TICKBOX_MASTER_KEYS');
  return Object.freeze({
    databaseUrl: required(env, 'DATABASE_URL'),
    redisUrl: required(env, 'REDIS_URL'),
    host: env.HOST ?? '127.0.0.1',
    port: int(env, 'PORT', 3000),
    masterKeys,
    activeKeyId: env.TICKBOX_ACTIVE_KEY_ID ?? defaultActiveKeyId(masterKeys),
    logLevel: env.LOG_LEVEL ?? 'info',
    runTimeoutMs: int(env, 'RUN_TIMEOUT_MS', 60_000),
    queuePrefix: env.TICKBOX_QUEUE_PREFIX ?? 'tickbox',
    adminToken: env.TICKBOX_ADMIN_TOKEN || undefined,
    publicUrl: publicUrl(env.TICKBOX_PUBLIC_URL),
    trustProxy: trustProxy(env.TICKBOX_TRUST_PROXY),
  });
}
