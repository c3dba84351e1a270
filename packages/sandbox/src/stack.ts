import type { SourceMapper } from './source-map.ts';

/** Script origin of compiled user code inside the isolate; never a host path. */
export const WORKER_ORIGIN = 'tickbox:worker';
export const PRELUDE_ORIGIN = 'tickbox:prelude';

const POSITION = /tickbox:worker:(\d+):(\d+)/g;
const FRAME = /^\s*at /;

function mapPositions(line: string, mapper: SourceMapper | undefined, fileName: string): string {
  return line.replace(POSITION, (_match, l: string, c: string) => {
    const original = mapper?.original(Number(l), Number(c));
    return original ? `${fileName}:${original.line}:${original.column}` : `${fileName}:?`;
  });
}

/**
 * Frames of a V8 stack that are in the user's file, mapped to original positions. Everything
 * else (prelude, isolated-vm boundary, host frames of errors copied out of the isolate) is dropped.
 */
export function userFrames(stack: string | undefined, mapper: SourceMapper | undefined, fileName: string): string[] {
  if (!stack) return [];
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    if (!FRAME.test(line) || !line.includes(`${WORKER_ORIGIN}:`)) continue;
    frames.push(`    ${mapPositions(line.trim(), mapper, fileName)}`);
    if (frames.length >= 50) break;
  }
  return frames;
}

/** Stack of a user-facing error: header plus user frames, or undefined when there are none. */
export function userStack(
  name: string,
  message: string,
  stack: string | undefined,
  mapper: SourceMapper | undefined,
  fileName: string,
): string | undefined {
  const frames = userFrames(stack, mapper, fileName);
  return frames.length ? `${name}: ${message}\n${frames.join('\n')}` : undefined;
}

/** Log text that may contain a stack (ctx.log.error(err)): map user frames, drop other frames. */
export function mapLogText(text: string, mapper: SourceMapper | undefined, fileName: string): string {
  if (!text.includes('tickbox:') && !text.includes('    at ')) return text;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (FRAME.test(line)) {
      if (line.includes(`${WORKER_ORIGIN}:`)) out.push(`    ${mapPositions(line.trim(), mapper, fileName)}`);
      continue;
    }
    out.push(mapPositions(line, mapper, fileName));
  }
  return out.join('\n');
}
