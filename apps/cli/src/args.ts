import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { Command, Options } from './context.ts';
import { UsageError } from './errors.ts';

export const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsOptionsConfig;

export type Parsed =
  | { kind: 'help'; topic: string | undefined }
  | { kind: 'command'; command: Command; args: string[]; opts: Options };

const takesValue = (a: string) => a === '--url' || a === '--token';
const isGlobal = (a: string) => ['--json', '--help', '-h'].includes(a) || takesValue(a) || a.startsWith('--url=') || a.startsWith('--token=');

/**
 * `tickbox [global options] <group> [<sub>] [args] [options]`. The command words are found
 * first (global options may stand before them); the rest is parsed strictly against that
 * command's own options, so an unknown option is a usage error, not silently ignored.
 * `trades` without a known sub-command is `trades list`.
 */
export function parseCommandLine(argv: string[], commands: Command[]): Parsed {
  const before: string[] = [];
  let i = 0;
  const skipGlobals = () => {
    while (i < argv.length && isGlobal(argv[i]!)) {
      before.push(argv[i]!);
      if (takesValue(argv[i]!) && i + 1 < argv.length) before.push(argv[++i]!);
      i++;
    }
  };
  skipGlobals();
  const group = argv[i];
  const wantsHelp = () => argv.includes('--help') || argv.includes('-h');
  if (group === undefined) {
    if (wantsHelp()) return { kind: 'help', topic: undefined };
    throw new UsageError('missing command');
  }
  if (group === 'help') return { kind: 'help', topic: argv[i + 1] };
  if (group.startsWith('-')) throw new UsageError(`unknown option ${group.split('=')[0]}`);
  i++;
  let command = commands.find((c) => c.name === group);
  const subs = commands.filter((c) => c.name.startsWith(`${group} `));
  if (!command && subs.length === 0) throw new UsageError(`unknown command "${group}"`);
  if (subs.length > 0) {
    skipGlobals();
    const sub = argv[i];
    const match = sub === undefined ? undefined : subs.find((c) => c.name === `${group} ${sub}`);
    if (match) {
      command = match;
      i++;
    } else if (!command) {
      if (sub === undefined || sub.startsWith('-')) {
        if (wantsHelp()) return { kind: 'help', topic: group };
        throw new UsageError(`missing ${group} command`, group);
      }
      throw new UsageError(`unknown ${group} command "${sub}"`, group);
    }
  }
  return { kind: 'command', command: command!, ...parseRest([...before, ...argv.slice(i)], command!, group) };
}

function parseRest(rest: string[], command: Command, topic: string): { args: string[]; opts: Options } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${command.name}: ${parseArgsMessage(err as Error & { code?: string })}`, topic);
  }
  const opts = parsed.values as Options;
  if (opts.help) return { args: [], opts };
  const wanted = command.args ?? [];
  const args = parsed.positionals;
  const required = wanted.filter((a) => !a.endsWith('?')).length;
  if (args.length < required) throw new UsageError(`${command.name}: missing <${wanted[args.length]}>`, topic);
  if (args.length > wanted.length) throw new UsageError(`${command.name}: unexpected argument "${args[wanted.length]}"`, topic);
  return { args, opts };
}

/** Node's parseArgs messages explain `--` escaping at length; keep the part a user needs. */
function parseArgsMessage(err: Error & { code?: string }): string {
  const name = /'(-[^']*)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name) return `unknown option ${name.split('=')[0]}`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name) {
    return /argument missing/.test(err.message) ? `option ${name.split(' ')[0]} needs a value` : `option ${name.split(' ')[0]} takes no value`;
  }
  return err.message;
}

/** A string option's value (undefined when absent). */
export function str(opts: Options, name: string): string | undefined {
  const v = opts[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireStr(opts: Options, name: string, command: string): string {
  const v = str(opts, name);
  if (v === undefined || v === '') throw new UsageError(`${command}: --${name} is required`, command.split(' ')[0]);
  return v;
}

/** A positive whole number option (`--limit 20`). */
export function positiveInt(opts: Options, name: string, command: string): number | undefined {
  const v = str(opts, name);
  if (v === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`${command}: --${name} must be a positive whole number (got "${v}")`, command.split(' ')[0]);
  return Number(v);
}
