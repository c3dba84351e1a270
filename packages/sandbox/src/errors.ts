/**
 * Errors raised by the sandbox itself (not by user code). Each carries a stable string `code`
 * so that callers (the scheduler's classifier, the api) can branch without parsing messages.
 */
export type SandboxErrorCode =
  | 'SUPERVISOR_STOPPED'
  | 'SUPERVISOR_NOT_STARTED'
  | 'RUNNER_START_FAILED'
  | 'RUNNER_CRASHED'
  | 'RUNNER_UNRESPONSIVE'
  | 'INVALID_REQUEST'
  | 'INVALID_HOST'
  | 'INVALID_COMPILED'
  | 'INVALID_LIMITS'
  | 'INVALID_OPTIONS'
  | 'RUNNER_HOST_FAILED'
  | 'HOST_CALL_LIMIT'
  | 'TICK_FINISHED'
  | 'MEMORY_LIMIT'
  | 'CPU_TIMEOUT'
  | 'WALL_TIMEOUT'
  | 'STATE_TOO_LARGE'
  | 'RETURN_TOO_LARGE'
  | 'ISOLATE_DISPOSED'
  | 'INTERNAL';

export class SandboxError extends Error {
  override name = 'SandboxError';
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
