import { Ajv } from 'ajv';
import * as addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { badRequest } from './api-error.ts';
import { jsonProblem } from './json-guard.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default: { default?: unknown } }).default.default
  ?? (addFormatsModule as unknown as { default: unknown }).default) as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  addFormats(ajv);
  // ajv-formats' uuid also takes a `urn:uuid:` prefix, which PostgreSQL refuses: only the plain form.
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  return ajv;
}

/**
 * Query strings and path parameters are text, so they are coerced (`limit=5` is a number);
 * JSON bodies are not: `"enabled": null` or `"name": 1` is a 400 naming the field, not a
 * silent `false` or `"1"`.
 */
export function installValidators(app: FastifyInstance): void {
  const strictBody = makeAjv(false);
  const coercing = makeAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictBody : coercing).compile(schema));
  // What no schema says but the database and the queue need (a NUL character, absurd nesting):
  // a 400 naming the field instead of a 500 later.
  app.addHook('preValidation', async (request) => {
    const problem = jsonProblem(request.params, 'params') ?? jsonProblem(request.query, 'query') ?? jsonProblem(request.body, 'body');
    if (problem) throw badRequest(problem);
  });
}
