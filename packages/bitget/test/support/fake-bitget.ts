import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A tiny local HTTP double of Bitget for unit tests: records every request and lets each test
// decide the answer. The contract tests against the real simulator live with the simulator.

export interface Recorded {
  method: string;
  path: string;
  query: string;
  body: string;
  headers: IncomingHttpHeaders;
}

export type Reply =
  | { status?: number; json: unknown }
  | { status?: number; text: string }
  | { delayMs: number; then?: Reply }
  | { destroy: true };

export type Handler = (req: Recorded) => Reply | undefined;

export interface FakeBitget {
  url: string;
  requests: Recorded[];
  /** Handlers are tried last-registered first; the first non-undefined reply wins. */
  on(handler: Handler): void;
  close(): Promise<void>;
}

export const ok = (data: unknown) => ({ json: { code: '00000', msg: 'success', requestTime: 1700000000000, data } });

export async function startFakeBitget(): Promise<FakeBitget> {
  const handlers: Handler[] = [];
  const requests: Recorded[] = [];

  async function send(res: ServerResponse, reply: Reply): Promise<void> {
    if ('destroy' in reply) {
      res.socket?.destroy();
      return;
    }
    if ('delayMs' in reply) {
      await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      return send(res, reply.then ?? ok(null));
    }
    const body = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
    res.writeHead(reply.status ?? 200, { 'content-type': 'json' in reply ? 'application/json' : 'text/html' });
    res.end(body);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path = '', query = ''] = (req.url ?? '').split('?');
      const rec: Recorded = { method: req.method ?? '', path, query, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      requests.push(rec);
      let reply: Reply | undefined;
      for (let i = handlers.length - 1; i >= 0 && reply === undefined; i--) reply = handlers[i]?.(rec);
      void send(res, reply ?? ok(null));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (h) => void handlers.push(h),
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
