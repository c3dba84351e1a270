import type { KeyViewT, TokenViewT, WorkerViewT } from '@tickbox/contract';
import { CliError } from './errors.ts';
import type { Api } from './http.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Workers, keys and tokens are named on the command line by id or by name; a name must match exactly one. */
function pick<T extends { id: string; name: string }>(rows: T[], ref: string, what: string): T {
  const found = rows.filter((r) => r.name === ref);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new CliError(`no ${what} named "${ref}" (see tickbox ${what}s list)`);
  throw new CliError(`${found.length} ${what}s are named "${ref}"; use an id: ${found.map((r) => r.id).join(', ')}`);
}

export async function workerId(api: Api, ref: string): Promise<string> {
  return UUID.test(ref) ? ref : pick(await api.get<WorkerViewT[]>('/api/workers'), ref, 'worker').id;
}

/** The worker's detail (code, last tick, next tick). */
export async function workerDetail(api: Api, ref: string): Promise<WorkerViewT> {
  return api.get<WorkerViewT>(`/api/workers/${await workerId(api, ref)}`);
}

/** Workers with the given name (a deploy updates the one it finds). */
export async function workersNamed(api: Api, name: string): Promise<WorkerViewT[]> {
  return (await api.get<WorkerViewT[]>('/api/workers')).filter((w) => w.name === name);
}

export async function keyId(api: Api, ref: string): Promise<string> {
  return UUID.test(ref) ? ref : pick(await api.get<KeyViewT[]>('/api/keys'), ref, 'key').id;
}

/** One of the caller's tokens, by id or name; `current` when it is the token this command uses. */
export async function tokenRef(api: Api, ref: string): Promise<{ id: string; current: boolean }> {
  const tokens = await api.get<TokenViewT[]>('/api/tokens');
  // An id that is not in the list is still sent, so the api answers it (404) as for any other id.
  const token = UUID.test(ref) ? tokens.find((t) => t.id === ref) : pick(tokens, ref, 'token');
  return { id: token?.id ?? ref, current: token?.current ?? false };
}

/** id → name of the user's current workers, for tables that only carry a workerId. */
export async function workerNames(api: Api): Promise<Map<string, string>> {
  return new Map((await api.get<WorkerViewT[]>('/api/workers')).map((w) => [w.id, w.name]));
}
