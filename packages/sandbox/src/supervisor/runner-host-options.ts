import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SandboxError } from '../errors.ts';
import type { RunRequest } from '../types.ts';

/** Largest RunRequest.runnerHostConfig JSON accepted. */
const MAX_RUNNER_HOST_CONFIG_BYTES = 16 * 1024;

/** SupervisorOptions.runnerHost.module as a file: URL (absolute path or file: URL only). */
export function runnerHostUrl(option: { module: string }): string {
  const module: unknown = typeof option === 'object' && option !== null ? option.module : undefined;
  if (typeof module === 'string' && module.startsWith('file:')) {
    try {
      return new URL(module).href;
    } catch {
      // reported below
    }
  } else if (typeof module === 'string' && isAbsolute(module)) {
    return pathToFileURL(module).href;
  }
  throw new SandboxError('INVALID_OPTIONS', 'runnerHost.module must be an absolute path or a file: URL of an ES module');
}

/** The request's runnerHostConfig as JSON (undefined when absent); refuses non-JSON and oversized configs. */
export function runnerHostConfigJson(request: RunRequest): string | undefined {
  if (request.runnerHostConfig === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(request.runnerHostConfig);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw new SandboxError('INVALID_REQUEST', 'invalid run request: runnerHostConfig must be JSON-serialisable');
  if (Buffer.byteLength(json) > MAX_RUNNER_HOST_CONFIG_BYTES) {
    throw new SandboxError('INVALID_REQUEST', `invalid run request: runnerHostConfig is larger than ${MAX_RUNNER_HOST_CONFIG_BYTES} bytes of JSON`);
  }
  return json;
}
