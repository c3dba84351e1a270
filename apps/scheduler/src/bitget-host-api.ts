import type { BitgetClient } from '@tickbox/bitget';
import { JsonText } from '@tickbox/sandbox/json-text';

type HostFunction = (...args: unknown[]) => Promise<unknown>;

const toJsonText = (json: string) => new JsonText(json);

/**
 * ctx.bitget for the sandbox: one function per method name, arguments forwarded as given. The
 * response goes to the worker as JSON text, without a parse-and-serialise round here. Used by
 * the scheduler's keyed host and by the runner-local public host.
 */
export function bitgetHostApi(client: BitgetClient, names: readonly string[] = client.methodNames): Record<string, HostFunction> {
  const api: Record<string, HostFunction> = {};
  for (const name of names) api[name] = (...args: unknown[]) => client.callJson(name, args).then(toJsonText);
  return api;
}
