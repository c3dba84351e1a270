import type { ParseArgsOptionsConfig } from 'node:util';
import type { Writable } from 'node:stream';
import type { Api } from './http.ts';

export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
}

/** The environment variables the CLI uses, read once by main.ts. */
export interface CliEnv {
  url: string | undefined;
  token: string | undefined;
  configFile: string;
  keySecret: string | undefined;
  keyPassphrase: string | undefined;
  /** TICKBOX_ALERT_URL: the alert URL for `alerts set` (a credential: never a flag). */
  alertUrl?: string | undefined;
  /** Where relative file arguments are resolved: the user's directory, also under `npm run cli`. */
  cwd: string;
}

export interface Context {
  io: Io;
  env: CliEnv;
  /** --json: print the api's JSON instead of tables. */
  json: boolean;
  flags: { url: string | undefined; token: string | undefined };
  /** The api client for the resolved connection (flags, env, saved login). */
  api(): Promise<Api>;
  print(text: string): void;
  warn(line: string): void;
}

export type Options = Record<string, string | boolean | undefined>;

export interface Command {
  /** `workers deploy`; the words a user types. */
  name: string;
  /** Positional arguments; a trailing `?` marks an optional one. */
  args?: string[];
  options?: ParseArgsOptionsConfig;
  /** Returns the exit code (default 0). */
  run(args: string[], opts: Options, ctx: Context): Promise<number | void>;
}
