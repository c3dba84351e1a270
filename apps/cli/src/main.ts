// Entry of the tickbox CLI: the only place that reads argv and the environment.
import { runCli } from './cli.ts';
import { configPath } from './config.ts';

const env = process.env;
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    url: env.TICKBOX_URL || undefined,
    token: env.TICKBOX_TOKEN || undefined,
    configFile: configPath(env),
    keySecret: env.TICKBOX_KEY_SECRET || undefined,
    keyPassphrase: env.TICKBOX_KEY_PASSPHRASE || undefined,
    alertUrl: env.TICKBOX_ALERT_URL || undefined,
    // `npm run cli` runs in the repository root; INIT_CWD is where the user typed the command.
    cwd: env.npm_lifecycle_event === 'cli' && env.INIT_CWD ? env.INIT_CWD : process.cwd(),
  }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
} catch (err) {
  // A bug, not a user error: keep the stack for the report.
  process.stderr.write(`tickbox: internal error: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
