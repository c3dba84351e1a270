/** The api's one error family; the error handler maps it to `{error, message, details?}`. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;
  constructor(statusCode: number, code: string, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'invalid_request', message, details);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details);

/**
 * What to throw when waiting on a scheduler job failed: a 503 saying no scheduler answered when
 * the wait timed out (`message`), the error itself otherwise.
 */
export function schedulerSilent(err: unknown, message: string): unknown {
  return /timed out|Job wait/i.test((err as Error)?.message ?? '') ? new ApiError(503, 'scheduler_unavailable', message) : err;
}
