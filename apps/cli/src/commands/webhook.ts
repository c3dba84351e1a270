import type { WebhookCreatedViewT } from '@tickbox/contract';
import type { Command } from '../context.ts';
import { json } from '../output.ts';
import { workerId } from '../refs.ts';

/**
 * `workers webhook <worker>`: creates the worker's webhook URL, or replaces it; the URL carries
 * its secret and is printed this once. `--off` turns the webhook off.
 */
const webhook: Command = {
  name: 'workers webhook',
  args: ['worker'],
  options: { off: { type: 'boolean' } },
  async run([ref], opts, ctx) {
    const api = await ctx.api();
    const id = await workerId(api, ref!);
    if (opts.off) {
      await api.del(`/api/workers/${id}/webhook`);
      if (!ctx.json) ctx.print(`webhook of worker ${ref} turned off; its URL no longer works\n`);
      return;
    }
    const hook = await api.post<WebhookCreatedViewT>(`/api/workers/${id}/webhook`);
    if (ctx.json) return ctx.print(json(hook));
    ctx.print([
      `webhook URL of worker ${ref}${hook.rotated ? ' (the previous URL no longer works)' : ''}:`,
      '',
      `  ${hook.absoluteUrl}`,
      '',
      'It is shown only now. Anyone who has it can run the worker, so keep it secret;',
      `tickbox workers webhook ${ref} replaces it, --off turns it off.`,
      '',
    ].join('\n'));
  },
};

export const webhookCommands: Command[] = [webhook];
