import type { HostApi } from '../types.ts';

type HostFunction = (...args: unknown[]) => Promise<unknown>;
/** A host function and its namespace object (its `this`). */
export type LocalHostFunction = readonly [HostFunction, object];
/** A runner-local host, snapshotted: ns -> fn -> function. */
export type LocalHost = ReadonlyMap<string, ReadonlyMap<string, LocalHostFunction>>;
export type LocalHostResult = { ok: true; host: LocalHost } | { ok: false; reason: string };

/** Distinct configs whose hosts are kept per runner (least recently used dropped first). */
const MAX_HOSTS = 16;

/**
 * The runner-local hosts of one runner process (SupervisorOptions.runnerHost): the module is
 * imported once, and `createRunnerHost(config)` is called once per distinct config JSON.
 * A module that fails to import or a factory that throws fails the runs that need it, never the
 * runner: the error is returned, not thrown.
 */
export class RunnerHosts {
  readonly #moduleUrl: string | undefined;
  #module: Promise<Record<string, unknown>> | undefined;
  readonly #hosts = new Map<string, Promise<LocalHost>>();

  constructor(moduleUrl: string | undefined) {
    this.#moduleUrl = moduleUrl;
  }

  /** The local host for a run's config; undefined when the run uses none. */
  async resolve(configJson: string | undefined): Promise<LocalHostResult | undefined> {
    if (configJson === undefined || this.#moduleUrl === undefined) return undefined;
    let pending = this.#hosts.get(configJson);
    if (pending) {
      this.#hosts.delete(configJson);
    } else {
      pending = this.#create(this.#moduleUrl, configJson);
    }
    this.#hosts.set(configJson, pending);
    while (this.#hosts.size > MAX_HOSTS) this.#hosts.delete(this.#hosts.keys().next().value!);
    try {
      return { ok: true, host: await pending };
    } catch (error) {
      // Not cached: a factory that failed (e.g. a transient condition) is retried by the next run.
      if (this.#hosts.get(configJson) === pending) this.#hosts.delete(configJson);
      return { ok: false, reason: describe(error) };
    }
  }

  async #create(moduleUrl: string, configJson: string): Promise<LocalHost> {
    // Node caches the module (and a failed import) by URL: imported once per runner.
    this.#module ??= import(moduleUrl) as Promise<Record<string, unknown>>;
    let module: Record<string, unknown>;
    try {
      module = await this.#module;
    } catch (error) {
      throw new Error(`could not import the runner-local host module ${moduleUrl}: ${describe(error)}`);
    }
    const create = module.createRunnerHost;
    if (typeof create !== 'function') throw new TypeError(`the runner-local host module ${moduleUrl} does not export a createRunnerHost function`);
    let host: unknown;
    try {
      host = await (create as (config: unknown) => unknown)(JSON.parse(configJson));
    } catch (error) {
      throw new Error(`createRunnerHost() failed: ${describe(error)}`);
    }
    return snapshot(host);
  }
}

/** Copies the host's functions once, so later changes to the returned object cannot matter. */
function snapshot(host: unknown): LocalHost {
  if (typeof host !== 'object' || host === null) throw new TypeError('createRunnerHost() must return an object of namespaces');
  const out = new Map<string, Map<string, LocalHostFunction>>();
  for (const ns of Object.keys(host)) {
    const space: unknown = (host as HostApi)[ns];
    if (typeof space !== 'object' || space === null) throw new TypeError(`createRunnerHost() returned a non-object namespace "${ns}"`);
    const fns = new Map<string, LocalHostFunction>();
    for (const fn of Object.keys(space)) {
      const target: unknown = (space as Record<string, unknown>)[fn];
      if (typeof target === 'function') fns.set(fn, [target as HostFunction, space]);
    }
    out.set(ns, fns);
  }
  return out;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 1_000);
}
