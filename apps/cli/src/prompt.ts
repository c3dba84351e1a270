import { createInterface } from 'node:readline';
import type { Io } from './context.ts';
import { CliError, UsageError } from './errors.ts';

/**
 * Reads one secret value per label from stdin: typed without echo on a terminal, or one line
 * each when stdin is a pipe or file. Values are never written anywhere.
 */
export async function readSecrets(io: Io, labels: string[], missingHint: string): Promise<string[]> {
  if (labels.length === 0) return [];
  const values = io.stdin.isTTY && io.stdin.setRawMode ? await readFromTerminal(io, labels) : await readLines(io, labels.length);
  if (values.length < labels.length) {
    throw new UsageError(`expected ${labels.join(' and ')} on stdin, one per line (${missingHint})`);
  }
  const empty = labels.find((_, i) => values[i] === '');
  if (empty) throw new UsageError(`${empty} must not be empty`);
  return values;
}

async function readLines(io: Io, count: number): Promise<string[]> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  const lines: string[] = [];
  for await (const line of rl) {
    lines.push(line.trim());
    if (lines.length === count) break;
  }
  rl.close();
  io.stdin.pause();
  return lines;
}

async function readFromTerminal(io: Io, labels: string[]): Promise<string[]> {
  const values: string[] = [];
  for (const label of labels) values.push(await readHidden(io, `${label}: `));
  return values;
}

function readHidden(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin;
  io.stderr.write(prompt);
  stdin.setRawMode!(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value.trim());
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError('cancelled', { exitCode: 130 }));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
