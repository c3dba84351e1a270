/** A mistake on the command line (unknown command or option, missing argument): usage text, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command group whose usage to show (`workers`), or undefined for all of it. */
  readonly topic: string | undefined;
  constructor(message: string, topic?: string) {
    super(message);
    this.topic = topic;
  }
}

/** An expected failure found by the CLI itself (a file it cannot read, a name that matches no worker). */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;
  /** Extra lines printed under `error: <message>` (e.g. where a syntax error is). */
  readonly lines: string[];
  constructor(message: string, options: { exitCode?: number; lines?: string[] } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? 1;
    this.lines = options.lines ?? [];
  }
}
