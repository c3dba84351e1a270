/**
 * Failure rules set through POST /sim/fail-next. `mode: "before"` (default) answers without
 * processing; `mode: "after"` processes the request (the order IS placed) and then replaces the
 * answer — or drops the connection — so clients can prove they reconcile by clientOid.
 */
export interface FailRule {
  path: string;
  status?: number;
  code?: string;
  msg?: string;
  delayMs?: number;
  times: number;
  mode: 'before' | 'after';
  /** Close the socket instead of answering. */
  drop: boolean;
  /** Never answer (until the simulator stops): a client-side timeout. */
  hang: boolean;
}

export class FailInjector {
  #rules: FailRule[] = [];

  add(input: Record<string, unknown>): FailRule {
    const path = typeof input.path === 'string' ? input.path : '';
    if (!path.startsWith('/')) throw new Error('path must start with /');
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
    const rule: FailRule = {
      path,
      status: num(input.status),
      code: input.code === undefined ? undefined : String(input.code),
      msg: typeof input.msg === 'string' ? input.msg : undefined,
      delayMs: num(input.delayMs),
      times: num(input.times) ?? 1,
      mode: input.mode === 'after' ? 'after' : 'before',
      drop: input.drop === true,
      hang: input.hang === true,
    };
    this.#rules.push(rule);
    return rule;
  }

  clear(): void {
    this.#rules = [];
  }

  list(): FailRule[] {
    return this.#rules.map((r) => ({ ...r }));
  }

  /** Consumes one use of the first rule matching `path` (exact, or "*" for any API path). */
  take(path: string): FailRule | undefined {
    const rule = this.#rules.find((r) => r.path === path || r.path === '*');
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule;
  }
}

/** Status + Bitget-style body of an injected failure. */
export function failureResponse(rule: FailRule, now: number): { status: number; body: Record<string, unknown> } | undefined {
  if (rule.drop || rule.hang) return undefined;
  if (rule.status === undefined && rule.code === undefined && rule.delayMs !== undefined) return undefined; // delay only
  const status = rule.status ?? (rule.code ? 400 : 500);
  if (status === 429) return { status, body: { code: '429', msg: rule.msg ?? 'Too Many Requests', requestTime: now, data: null } };
  const code = rule.code ?? (status >= 500 ? String(status) : '40017');
  return { status, body: { code, msg: rule.msg ?? (status >= 500 ? 'Internal Server Error (injected)' : 'Injected failure'), requestTime: now, data: null } };
}
