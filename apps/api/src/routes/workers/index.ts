import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateWorkerBody, IdParams, PatchWorkerBody } from '@tickbox/contract';
import { parseSchedule, ScheduleError } from '@tickbox/queue';
import type { AppDeps } from '../../app.ts';
import { badRequest, notFound, schedulerSilent } from '../../api-error.ts';
import { compileOrThrow } from './compile.ts';
import { workerView } from './worker-view.ts';

export function workerRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db, queues } = deps;

  const schedule = (input: unknown) => {
    try { return parseSchedule(input).schedule; } catch (err) {
      if (err instanceof ScheduleError) throw badRequest(err.message);
      throw err;
    }
  };
  const checkKey = async (userId: string, keyId: string | null | undefined) => {
    if (!keyId) return;
    const key = await db.apiKey.findFirst({ where: { id: keyId, userId } });
    if (!key) throw badRequest(`keyId ${keyId} is not one of your keys`);
  };
  const ownWorker = async (userId: string, id: string) => {
    const w = await db.worker.findFirst({ where: { id, userId, deletedAt: null } });
    if (!w) throw notFound('worker');
    return w;
  };

  return async (app) => {
    app.post('/', { schema: { body: CreateWorkerBody } }, async (request, reply) => {
      const body = request.body;
      const sched = schedule(body.schedule);
      await checkKey(request.user.id, body.keyId);
      const language = body.language ?? 'js';
      const { compiled, hash } = compileOrThrow(body.code, language);
      const id = randomUUID();
      const versionId = randomUUID();
      const enabled = body.enabled ?? true;
      const worker = await db.$transaction(async (tx) => {
        await tx.worker.create({
          data: { id, userId: request.user.id, name: body.name, schedule: sched, productType: body.productType ?? 'USDT-FUTURES', keyId: body.keyId ?? null, enabled, alerts: body.alerts ?? true, status: enabled ? 'idle' : 'disabled' },
        });
        await tx.workerVersion.create({ data: { id: versionId, workerId: id, language, code: body.code, compiledCode: compiled, hash } });
        return tx.worker.update({ where: { id }, data: { versionId } });
      });
      if (enabled) await queues.deploy(id, sched);
      return reply.code(201).send(workerView(worker, { language }));
    });

    app.get('/', async (request) => {
      const rows = await db.worker.findMany({ where: { userId: request.user.id, deletedAt: null }, orderBy: { createdAt: 'asc' } });
      return rows.map((w) => workerView(w));
    });

    app.get('/:id', { schema: { params: IdParams } }, async (request) => {
      const w = await ownWorker(request.user.id, request.params.id);
      const [version, lastTick, next] = await Promise.all([
        w.versionId ? db.workerVersion.findUnique({ where: { id: w.versionId } }) : null,
        db.tickRun.findFirst({ where: { workerId: w.id }, orderBy: { startedAt: 'desc' } }),
        w.enabled ? queues.nextRunAt(w.id) : null,
      ]);
      return workerView(w, {
        language: version?.language, code: version?.code,
        lastTick: lastTick && { id: lastTick.id, status: lastTick.status, phase: lastTick.phase, error: lastTick.error, startedAt: lastTick.startedAt.toISOString(), wallMs: lastTick.wallMs },
        nextTickAt: next ? new Date(next).toISOString() : null,
      });
    });

    app.patch('/:id', { schema: { params: IdParams, body: PatchWorkerBody } }, async (request) => {
      const w = await ownWorker(request.user.id, request.params.id);
      const body = request.body;
      const sched = body.schedule !== undefined ? schedule(body.schedule) : undefined;
      if (body.keyId !== undefined) await checkKey(request.user.id, body.keyId);
      if (body.language !== undefined && body.code === undefined) throw badRequest('body.language can only change together with body.code');
      let versionId: string | undefined;
      let compiledVersion: { compiled: string; hash: string } | undefined;
      // New code without a language keeps the worker's current one (a TypeScript worker stays TypeScript).
      const language = body.code === undefined ? undefined
        : body.language ?? ((await db.workerVersion.findFirst({ where: { id: w.versionId ?? undefined, workerId: w.id }, select: { language: true } }))?.language as 'js' | 'ts' | undefined) ?? 'js';
      if (body.code !== undefined) compiledVersion = compileOrThrow(body.code, language!);
      const updated = await db.$transaction(async (tx) => {
        if (compiledVersion && body.code !== undefined) {
          versionId = randomUUID();
          await tx.workerVersion.create({ data: { id: versionId, workerId: w.id, language: language!, code: body.code, compiledCode: compiledVersion.compiled, hash: compiledVersion.hash } });
        }
        return tx.worker.update({
          where: { id: w.id },
          data: {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(sched !== undefined ? { schedule: sched } : {}),
            ...(body.keyId !== undefined ? { keyId: body.keyId } : {}),
            ...(body.productType !== undefined ? { productType: body.productType } : {}),
            ...(body.alerts !== undefined ? { alerts: body.alerts } : {}),
            // A new version is a redeploy: setup runs again before the next tick.
            ...(versionId ? { versionId, setupDoneFor: null, status: w.enabled ? 'idle' : 'disabled', lastError: null } : {}),
          },
        });
      });
      if (updated.enabled && (sched !== undefined || versionId)) await queues.deploy(updated.id, updated.schedule as never);
      return workerView(updated);
    });

    app.post('/:id/enable', { schema: { params: IdParams } }, async (request) => {
      const w = await ownWorker(request.user.id, request.params.id);
      // Enabling a worker whose setup failed retries setup.
      const updated = await db.worker.update({
        where: { id: w.id },
        data: { enabled: true, status: 'idle', ...(w.status === 'error' ? { lastError: null, setupDoneFor: null } : {}) },
      });
      await queues.deploy(w.id, updated.schedule as never);
      return workerView(updated);
    });

    app.post('/:id/disable', { schema: { params: IdParams } }, async (request) => {
      const w = await ownWorker(request.user.id, request.params.id);
      await queues.undeploy(w.id);
      return workerView(await db.worker.update({ where: { id: w.id }, data: { enabled: false, ...(w.status === 'error' ? {} : { status: 'disabled' }) } }));
    });

    // The panic button: every enabled worker of the user stops ticking (and its webhook refuses
    // alerts). A tick already running finishes; open orders stay on the exchange.
    app.post('/disable-all', async (request) => {
      const enabled = await db.worker.findMany({ where: { userId: request.user.id, enabled: true, deletedAt: null }, select: { id: true, name: true, status: true } });
      for (const w of enabled) {
        await queues.undeploy(w.id);
        await db.worker.update({ where: { id: w.id }, data: { enabled: false, ...(w.status === 'error' ? {} : { status: 'disabled' }) } });
      }
      return { disabled: enabled.map((w) => ({ id: w.id, name: w.name })) };
    });

    app.post('/:id/run', { schema: { params: IdParams } }, async (request) => {
      const w = await ownWorker(request.user.id, request.params.id);
      const timeoutMs = deps.runTimeoutMs ?? 60_000;
      try {
        return await queues.runNow(w.id, timeoutMs);
      } catch (err) {
        throw schedulerSilent(err, `no scheduler finished the run within ${timeoutMs / 1000}s; is the scheduler running?`);
      }
    });

    app.delete('/:id', { schema: { params: IdParams } }, async (request, reply) => {
      const w = await ownWorker(request.user.id, request.params.id);
      await queues.undeploy(w.id);
      // Soft delete: the worker's TradeLog rows, runs and logs stay as the record of what it did.
      // Its webhook URL dies with it, and so does the webhook's sender allowlist.
      await db.worker.update({
        where: { id: w.id },
        data: { enabled: false, deletedAt: new Date(), status: 'deleted', webhookSecretHash: null, webhookCreatedAt: null, webhookAllowedIps: [] },
      });
      return reply.code(204).send();
    });
  };
}
