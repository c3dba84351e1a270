import type { WebhookCreatedViewT, WorkerWebhookStatusT } from '@tickbox/contract';
import { str } from '../args.ts';
import type { Command, Options } from '../context.ts';
import { UsageError } from '../errors.ts';
import type { Api } from '../http.ts';
import { json } from '../output.ts';
import { workerId } from '../refs.ts';

const NAME = 'workers webhook';

/** How the webhook's sender allowlist reads in `workers show` and here. */
export function sendersText(allowedIps: string[] | undefined): string {
  return allowedIps && allowedIps.length > 0 ? `only ${allowedIps.join(', ')}` : 'any';
}

/** `--allow a,b` → ['a', 'b']; `--allow-any` → []; neither → undefined. Entries are checked by the api. */
function allowlistOption(opts: Options): string[] | undefined {
  const allow = str(opts, 'allow');
  if (allow !== undefined && opts['allow-any']) throw new UsageError(`${NAME}: --allow and --allow-any cannot be combined`, 'workers');
  if (opts.off && (allow !== undefined || opts['allow-any'])) {
    throw new UsageError(`${NAME}: --off cannot be combined with --allow or --allow-any (turning the webhook off keeps its allowlist; change it in a separate command)`, 'workers');
  }
  if (opts['allow-any']) return [];
  if (allow === undefined) return undefined;
  const ips = allow.split(/[\s,]+/).filter(Boolean);
  if (ips.length === 0) throw new UsageError(`${NAME}: --allow needs at least one address or CIDR range (--allow-any accepts any sender)`, 'workers');
  return ips;
}

async function setAllowlist(api: Api, id: string, ref: string, ips: string[], print: (text: string) => void, asJson: boolean) {
  const status = await api.put<WorkerWebhookStatusT>(`/api/workers/${id}/webhook/allowlist`, { ips });
  if (asJson) return print(json(status));
  print(status.allowedIps.length > 0
    ? `webhook of worker ${ref} accepts alerts only from: ${status.allowedIps.join(', ')}\n`
    : `webhook of worker ${ref} accepts alerts from any sender\n`);
  if (!status.enabled) print(`it has no URL yet: tickbox workers webhook ${ref} creates one\n`);
}

/**
 * `workers webhook <worker>`: creates the worker's webhook URL, or replaces it; the URL carries
 * its secret and is printed this once. `--off` turns the webhook off. `--allow IP,…` /
 * `--allow-any` only set which senders it accepts: the URL stays as it is.
 */
const webhook: Command = {
  name: NAME,
  args: ['worker'],
  options: { off: { type: 'boolean' }, allow: { type: 'string' }, 'allow-any': { type: 'boolean' } },
  async run([ref], opts, ctx) {
    const ips = allowlistOption(opts);
    const api = await ctx.api();
    const id = await workerId(api, ref!);
    if (ips) return setAllowlist(api, id, ref!, ips, (text) => ctx.print(text), ctx.json);
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
      `Accepted senders: ${sendersText(hook.allowedIps)}${hook.allowedIps.length > 0 ? '' : ` (restrict with tickbox workers webhook ${ref} --allow IP,…)`}`,
      '',
      'It is shown only now. Anyone who has it can run the worker, so keep it secret;',
      `tickbox workers webhook ${ref} replaces it, --off turns it off.`,
      '',
    ].join('\n'));
  },
};

export const webhookCommands: Command[] = [webhook];
