import { Ajv } from 'ajv';
import * as addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default: { default?: unknown } }).default.default
  ?? (addFormatsModule as unknown as { default: unknown }).default) as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  addFormats(ajv);
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
}
