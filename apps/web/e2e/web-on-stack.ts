// For dashboard tests that need a scheduler (run now, webhooks, account): the scheduler test stack
// (apps/scheduler/test/stack.ts: BullMQ scheduler, sandbox runner processes, simulator, on the test
// PostgreSQL and Redis) and the dashboard served by a second api on its database and queues.
import { startStack } from '../../scheduler/test/stack.ts';
import type { Stack } from '../../scheduler/test/stack.ts';
import { startWeb } from './harness.ts';
import type { Web, WebOptions } from './harness.ts';

export async function startWebOnStack(options: Pick<WebOptions, 'runTimeoutMs'> = {}): Promise<{ stack: Stack; web: Web; stop(): Promise<void> }> {
  const stack = await startStack();
  const web = await startWeb({ db: stack.db, queues: stack.queues, keyring: stack.keyring, ...options });
  return {
    stack,
    web,
    async stop() {
      await web.close();
      await stack.stop();
    },
  };
}
