// The sandbox's runner-local host (SandboxSupervisor `runnerHost`): loaded by every sandbox
// runner process, never by the scheduler itself. It serves the PUBLIC (keyless) ctx.bitget
// methods inside the runner, saving the runner -> scheduler hop per call. Runner processes run
// untrusted code, so nothing here may hold a key: the client is built without credentials,
// and methods that need one are absent, so those calls still go to the scheduler's host.
import { BITGET_METHODS, createBitgetClient, createBitgetDispatcher, createRateLimiterRegistry } from '@tickbox/bitget';
import type { BitgetClient, ProductType, RateLimiterRegistry } from '@tickbox/bitget';
import type { Dispatcher } from 'undici';
import { bitgetHostApi } from './bitget-host-api.ts';

export interface RunnerBitgetConfig {
  /** Where this worker's calls go: the Bitget host for live/demo keys, the simulator for sim keys. */
  baseUrl: string;
  mode: 'live' | 'demo' | 'sim';
  productType?: string;
  /**
   * This runner's share of the per-IP public rate limit (1 / number of runners): every runner
   * counts its own public calls, so together they stay within Bitget's 20/s per IP. Default 1.
   */
  ipShare?: number;
}

type HostFunction = (...args: unknown[]) => Promise<unknown>;

/** Names of the methods that need no key (the method table's `auth` flag). */
export const PUBLIC_BITGET_METHODS: readonly string[] = Object.freeze(BITGET_METHODS.filter((spec) => !spec.auth).map((spec) => spec.name));

/** Builds `{ bitget: { <public method>: ... } }` on a credential-less client. */
export function createPublicBitgetHost(config: unknown, deps: { dispatcher: Dispatcher; limiter: RateLimiterRegistry }): { bitget: Record<string, HostFunction> } {
  const c = parseConfig(config);
  const client: BitgetClient = createBitgetClient({
    baseUrl: c.baseUrl,
    mode: c.mode,
    ...(c.productType === undefined ? {} : { productType: c.productType as ProductType }),
    dispatcher: deps.dispatcher,
    limiter: deps.limiter,
  });
  return { bitget: bitgetHostApi(client, PUBLIC_BITGET_METHODS) };
}

// One connection pool and one rate-limiter registry per runner process, shared by every config:
// public endpoints are limited per IP, and each runner counts its own calls against its share
// (`ipShare`, the same in every config the scheduler sends).
let shared: { dispatcher: Dispatcher; limiter: RateLimiterRegistry } | undefined;

/** The runner-local host factory the sandbox runner calls, once per distinct config. */
export function createRunnerHost(config: unknown): { bitget: Record<string, HostFunction> } {
  const share = parseConfig(config).ipShare;
  shared ??= { dispatcher: createBitgetDispatcher(), limiter: createRateLimiterRegistry(share === undefined ? {} : { share }) };
  return createPublicBitgetHost(config, shared);
}

function parseConfig(config: unknown): RunnerBitgetConfig {
  if (typeof config !== 'object' || config === null) throw new TypeError('runner bitget host: config must be { baseUrl, mode, productType? }');
  const { baseUrl, mode, productType, ipShare } = config as Record<string, unknown>;
  if (typeof baseUrl !== 'string') throw new TypeError('runner bitget host: baseUrl must be a string');
  if (mode !== 'live' && mode !== 'demo' && mode !== 'sim') throw new TypeError("runner bitget host: mode must be 'live', 'demo' or 'sim'");
  if (productType !== undefined && typeof productType !== 'string') throw new TypeError('runner bitget host: productType must be a string');
  if (ipShare !== undefined && !(typeof ipShare === 'number' && ipShare > 0 && ipShare <= 1)) throw new TypeError('runner bitget host: ipShare must be a number in (0, 1]');
  return {
    baseUrl, mode,
    ...(productType === undefined ? {} : { productType }),
    ...(ipShare === undefined ? {} : { ipShare: ipShare as number }),
  };
}
