import type { Exchange } from '../exchange.ts';
import type { Params } from '../params.ts';
import type { AccountState } from '../types.ts';

export interface RouteContext {
  ex: Exchange;
  params: Params;
  /** Present on private routes once the signature checked out. */
  account: AccountState;
  /** The request carried `paptrading: 1`. */
  paper: boolean;
  /** Market time of this request. */
  t: number;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  auth: boolean;
  /** Requests per second (CONTRACT.md §6): per client IP when public, per account when private. */
  perSecond: number;
  handle(ctx: RouteContext): unknown;
}

export const get = (path: string, auth: boolean, perSecond: number, handle: Route['handle']): Route => ({ method: 'GET', path, auth, perSecond, handle });
export const post = (path: string, perSecond: number, handle: Route['handle']): Route => ({ method: 'POST', path, auth: true, perSecond, handle });
