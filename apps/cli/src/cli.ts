import { parseCommandLine } from './args.ts';
import { COMMANDS } from './commands/index.ts';
import { readSavedLogin, resolveConnection } from './config.ts';
import type { CliEnv, Context, Io } from './context.ts';
import { CliError, UsageError } from './errors.ts';
import { ApiError, createApi } from './http.ts';
import type { Api } from './http.ts';
import { usage } from './usage.ts';

/** Runs one command line and returns the exit code; expected failures never surface as stacks. */
export async function runCli(argv: string[], env: CliEnv, io: Io): Promise<number> {
  const warn = (line: string) => { io.stderr.write(`${line}\n`); };
  try {
    const parsed = parseCommandLine(argv, COMMANDS);
    if (parsed.kind === 'help') {
      io.stdout.write(usage(parsed.topic));
      return 0;
    }
    const { command, args, opts } = parsed;
    if (opts.help) {
      io.stdout.write(usage(command.name.split(' ')[0]));
      return 0;
    }
    const flags = { url: opts.url as string | undefined, token: opts.token as string | undefined };
    let api: Api | undefined;
    const ctx: Context = {
      io, env, flags, json: opts.json === true, warn,
      print: (text) => { io.stdout.write(text); },
      async api() {
        if (!api) {
          const saved = flags.url !== undefined && flags.token !== undefined ? {} : await readSavedLogin(env.configFile, warn);
          const { url, token } = resolveConnection({ flags, env: { url: env.url, token: env.token }, saved });
          api = createApi(url, token);
        }
        return api;
      },
    };
    return (await command.run(args, opts, ctx)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n\n${usage(err.topic)}`);
      return 2;
    }
    if (err instanceof ApiError) {
      warn(`error: ${err.summary()}`);
      const d = err.details as { line?: unknown; column?: unknown } | undefined;
      if (typeof d?.line === 'number' && typeof d.column === 'number' && !err.message.includes(`line ${d.line}`)) warn(`  at line ${d.line}, column ${d.column}`);
      return 1;
    }
    if (err instanceof CliError) {
      warn(`error: ${err.message}`);
      for (const line of err.lines) warn(line);
      return err.exitCode;
    }
    throw err;
  }
}
