import Type from 'typebox';
import type { Static } from 'typebox';

export const LogsQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: 'return entries with id greater than this' })),
  level: Type.Optional(Type.Union(['debug', 'info', 'warn', 'error'].map((l) => Type.Literal(l)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
}, { additionalProperties: false });
export type LogsQueryT = Static<typeof LogsQuery>;

export const LogView = Type.Object({
  id: Type.String(), tickRunId: Type.String(), level: Type.String(), message: Type.String(), at: Type.String(),
});

export const RunView = Type.Object({
  id: Type.String(), phase: Type.String(), trigger: Type.String(), status: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  errorStack: Type.Union([Type.String(), Type.Null()], { description: "where the error was thrown: its header line and the user's own frames" }),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]), cpuMs: Type.Union([Type.Number(), Type.Null()]),
  wallMs: Type.Union([Type.Number(), Type.Null()]),
  payload: Type.Optional(Type.Unknown({ description: 'webhook runs: the alert (parsed JSON, or the text)' })),
});
