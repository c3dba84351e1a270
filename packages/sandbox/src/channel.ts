/**
 * The supervisor <-> runner channel: length-prefixed frames over a dedicated socketpair (the
 * runner's fd 3) instead of Node's `process.send`. The hot path (ctx calls and their results)
 * uses a small binary layout that carries the JSON texts as raw UTF-8 (no JSON-in-JSON
 * escaping, no message objects, no nextTick hop per message); rare messages are one JSON text.
 *
 * frame := u32le bodyLength, body
 * body  := u8 kind, ...
 *   CALL        u32 runId, u32 callId, str8 ns, str8 fn, u16 argc, argc x (u32 len | NONE, bytes)
 *   CALL_RESULT u32 runId, u32 callId, u8 ok, u32 len | NONE, bytes
 *   RUN         u32 len, JSON of the run message without its two texts, u32 len, payloadJson,
 *               u32 len | NONE, compiled
 *   JSON        utf-8 JSON of any other message
 * Both ends are our own code; the runner side is still treated as untrusted by the supervisor
 * (every field is re-validated there), so decoding never trusts lengths beyond the frame.
 */
import type { Socket } from 'node:net';
import type { FromRunner, ToRunner } from './protocol.ts';

const CALL = 1;
const CALL_RESULT = 2;
const JSON_MESSAGE = 3;
const RUN = 4;
const NONE = 0xffffffff;
/** Frames above this size are a protocol violation (a run message with the largest code/state fits easily). */
const MAX_FRAME = 256 * 1024 * 1024;

type CallMessage = Extract<FromRunner, { t: 'call' }>;
type CallResultMessage = Extract<ToRunner, { t: 'callResult' }>;
type RunMessage = Extract<ToRunner, { t: 'run' }>;

export function encodeToRunner(message: ToRunner): Buffer {
  if (message.t === 'run') return encodeRun(message);
  if (message.t !== 'callResult') return encodeJson(message);
  const payload = message.payload;
  const size = payload === undefined ? 0 : Buffer.byteLength(payload);
  const frame = Buffer.allocUnsafe(18 + size);
  frame.writeUInt32LE(14 + size, 0);
  frame[4] = CALL_RESULT;
  frame.writeUInt32LE(message.runId >>> 0, 5);
  frame.writeUInt32LE(message.callId >>> 0, 9);
  frame[13] = message.ok ? 1 : 0;
  frame.writeUInt32LE(payload === undefined ? NONE : size, 14);
  if (payload !== undefined) frame.write(payload, 18, size, 'utf8');
  return frame;
}

export function encodeFromRunner(message: FromRunner): Buffer {
  if (message.t !== 'call') return encodeJson(message);
  const { ns, fn, args } = message;
  let size = 4 + 1 + 4 + 4 + 1 + Buffer.byteLength(ns) + 1 + Buffer.byteLength(fn) + 2;
  const lengths: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const n = arg === null || arg === undefined ? NONE : Buffer.byteLength(arg);
    lengths.push(n);
    size += 4 + (n === NONE ? 0 : n);
  }
  const frame = Buffer.allocUnsafe(size);
  frame.writeUInt32LE(size - 4, 0);
  frame[4] = CALL;
  frame.writeUInt32LE(message.runId >>> 0, 5);
  frame.writeUInt32LE(message.callId >>> 0, 9);
  let at = writeStr8(frame, 13, ns);
  at = writeStr8(frame, at, fn);
  frame.writeUInt16LE(args.length, at);
  at += 2;
  for (let i = 0; i < args.length; i++) {
    const n = lengths[i]!;
    frame.writeUInt32LE(n, at);
    at += 4;
    if (n !== NONE) at += frame.write(args[i]!, at, n, 'utf8');
  }
  return frame;
}

function encodeRun(message: RunMessage): Buffer {
  const { payloadJson, compiled, ...header } = message;
  const headerJson = JSON.stringify(header);
  const headerSize = Buffer.byteLength(headerJson);
  const payloadSize = Buffer.byteLength(payloadJson);
  const compiledSize = compiled === undefined ? 0 : Buffer.byteLength(compiled);
  const frame = Buffer.allocUnsafe(4 + 1 + 12 + headerSize + payloadSize + compiledSize);
  frame.writeUInt32LE(frame.length - 4, 0);
  frame[4] = RUN;
  let at = 5;
  frame.writeUInt32LE(headerSize, at);
  at += 4 + frame.write(headerJson, at + 4, headerSize, 'utf8');
  frame.writeUInt32LE(payloadSize, at);
  at += 4 + frame.write(payloadJson, at + 4, payloadSize, 'utf8');
  frame.writeUInt32LE(compiled === undefined ? NONE : compiledSize, at);
  if (compiled !== undefined) frame.write(compiled, at + 4, compiledSize, 'utf8');
  return frame;
}

function decodeRun(body: Buffer): RunMessage {
  let at = 1;
  const text = (optional: boolean): string | undefined => {
    if (at + 4 > body.length) throw new ProtocolError('truncated run frame');
    const n = body.readUInt32LE(at);
    at += 4;
    if (n === NONE && optional) return undefined;
    if (at + n > body.length) throw new ProtocolError('truncated run frame');
    const value = body.toString('utf8', at, at + n);
    at += n;
    return value;
  };
  const message = JSON.parse(text(false)!) as RunMessage;
  message.payloadJson = text(false)!;
  const compiled = text(true);
  if (compiled !== undefined) message.compiled = compiled;
  return message;
}

function encodeJson(message: object): Buffer {
  const text = JSON.stringify(message);
  const size = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(5 + size);
  frame.writeUInt32LE(1 + size, 0);
  frame[4] = JSON_MESSAGE;
  frame.write(text, 5, size, 'utf8');
  return frame;
}

function writeStr8(frame: Buffer, at: number, text: string): number {
  const n = frame.write(text, at + 1, 'utf8');
  frame[at] = n;
  return at + 1 + n;
}

export class ProtocolError extends Error {}

function decodeCall(body: Buffer): CallMessage {
  if (body.length < 12) throw new ProtocolError('short call frame');
  const runId = body.readUInt32LE(1);
  const callId = body.readUInt32LE(5);
  // ns and fn: str8 each (inline: no closure per call on this hot path).
  const nsLength = body[9]!;
  if (10 + nsLength >= body.length) throw new ProtocolError('truncated call frame');
  const ns = body.toString('utf8', 10, 10 + nsLength);
  let at = 10 + nsLength;
  const fnLength = body[at]!;
  if (at + 1 + fnLength > body.length) throw new ProtocolError('truncated call frame');
  const fn = body.toString('utf8', at + 1, at + 1 + fnLength);
  at += 1 + fnLength;
  if (at + 2 > body.length) throw new ProtocolError('truncated call frame');
  const argc = body.readUInt16LE(at);
  at += 2;
  const args: (string | null)[] = [];
  for (let i = 0; i < argc; i++) {
    if (at + 4 > body.length) throw new ProtocolError('truncated call frame');
    const n = body.readUInt32LE(at);
    at += 4;
    if (n === NONE) {
      args.push(null);
      continue;
    }
    if (at + n > body.length) throw new ProtocolError('truncated call frame');
    args.push(body.toString('utf8', at, at + n));
    at += n;
  }
  return { t: 'call', runId, callId, ns, fn, args };
}

function decodeCallResult(body: Buffer): CallResultMessage {
  if (body.length < 14) throw new ProtocolError('short callResult frame');
  const n = body.readUInt32LE(10);
  const message: CallResultMessage = { t: 'callResult', runId: body.readUInt32LE(1), callId: body.readUInt32LE(5), ok: body[9] === 1 };
  if (n !== NONE) {
    if (14 + n > body.length) throw new ProtocolError('truncated callResult frame');
    message.payload = body.toString('utf8', 14, 14 + n);
  }
  return message;
}

function decodeBody<T>(body: Buffer, binary: number, decode: (body: Buffer) => T): T {
  const kind = body[0];
  if (kind === binary) return decode(body);
  if (kind === RUN && binary === CALL_RESULT) return decodeRun(body) as T;
  if (kind === JSON_MESSAGE) return JSON.parse(body.toString('utf8', 1, body.length)) as T;
  throw new ProtocolError(`unknown frame kind ${kind}`);
}

export const decodeFromRunner = (body: Buffer): FromRunner => decodeBody<FromRunner>(body, CALL, decodeCall);
export const decodeToRunner = (body: Buffer): ToRunner => decodeBody<ToRunner>(body, CALL_RESULT, decodeCallResult);

/**
 * Reads frames from a socket and hands each decoded message to `onMessage` synchronously, in
 * the same turn as the socket read (no extra tick per message). A malformed frame calls
 * `onError` and stops reading.
 */
export function readFrames<T>(socket: Socket, decode: (body: Buffer) => T, onMessage: (message: T) => void, onError: (error: Error) => void): void {
  let pending: Buffer | undefined;
  let broken = false;
  const fail = (error: unknown) => {
    broken = true;
    onError(error instanceof Error ? error : new Error(String(error)));
  };
  socket.on('data', (chunk: Buffer) => {
    if (broken) return;
    const data = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    let at = 0;
    while (data.length - at >= 4) {
      const size = data.readUInt32LE(at);
      if (size === 0 || size > MAX_FRAME) return fail(new ProtocolError(`bad frame length ${size}`));
      if (data.length - at - 4 < size) break;
      let message: T;
      try {
        message = decode(data.subarray(at + 4, at + 4 + size));
      } catch (error) {
        return fail(error);
      }
      at += 4 + size;
      try {
        onMessage(message);
      } catch (error) {
        // The runner side is untrusted: a message its handler cannot take is a protocol violation
        // of that runner, never an exception in the process reading the channel.
        return fail(error);
      }
    }
    // Copy a small remainder so that a large chunk is not retained by a few leftover bytes.
    if (at < data.length) pending = data.length - at < 4096 ? Buffer.from(data.subarray(at)) : data.subarray(at);
  });
}
