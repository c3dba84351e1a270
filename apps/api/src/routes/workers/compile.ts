import { createHash } from 'node:crypto';
import { compileWorker } from '@tickbox/sandbox/syntax';
import { ApiError } from '../../api-error.ts';

/** Compiles worker source (no isolated-vm in the api); a syntax error is a 400 with line and column. */
export function compileOrThrow(code: string, language: 'js' | 'ts') {
  const result = compileWorker(code, language);
  if (!result.ok) {
    const { message, line, column } = result.error;
    throw new ApiError(400, 'syntax_error', `${message} (line ${line}, column ${column})`, { line, column });
  }
  return { compiled: result.compiled, hash: createHash('sha256').update(code).digest('hex') };
}
