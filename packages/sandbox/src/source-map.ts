/**
 * Just enough of Source Map v3 to map generated positions of a compiled worker back to the
 * user's source: one source file, no names. Kept in-house so the runner needs no dependency.
 */

export interface OriginalPosition {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUES[BASE64.charCodeAt(i)] = i;

/** Segments per generated line, flattened as [genCol, srcLine, srcCol, ...], all 0-based. */
type LineSegments = number[];

export class SourceMapper {
  readonly #lines: LineSegments[];

  private constructor(lines: LineSegments[]) {
    this.#lines = lines;
  }

  /** Returns undefined for anything that is not a usable map; mapping is best-effort by design. */
  static parse(json: string): SourceMapper | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      return undefined;
    }
    if (typeof raw !== 'object' || raw === null) return undefined;
    const mappings = (raw as { mappings?: unknown }).mappings;
    if (typeof mappings !== 'string') return undefined;
    return new SourceMapper(decodeMappings(mappings));
  }

  /** Maps a 1-based generated position; undefined when the position has no mapping. */
  original(line: number, column: number): OriginalPosition | undefined {
    const segments = this.#lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    const col = column - 1;
    let found = -1;
    for (let i = 0; i < segments.length; i += 3) {
      if (segments[i]! <= col) found = i;
      else break;
    }
    // A position left of the first segment belongs to that segment's statement.
    if (found < 0) found = 0;
    return { line: segments[found + 1]! + 1, column: segments[found + 2]! + 1 };
  }
}

function decodeMappings(mappings: string): LineSegments[] {
  const lines: LineSegments[] = [];
  let current: LineSegments = [];
  let srcLine = 0;
  let srcCol = 0;
  let genCol = 0;
  const fields: number[] = [];
  let value = 0;
  let shift = 0;

  const endSegment = () => {
    if (fields.length >= 4) {
      genCol += fields[0]!;
      srcLine += fields[2]!;
      srcCol += fields[3]!;
      current.push(genCol, srcLine, srcCol);
    } else if (fields.length >= 1) {
      genCol += fields[0]!;
    }
    fields.length = 0;
  };

  for (let i = 0; i < mappings.length; i++) {
    const ch = mappings.charCodeAt(i);
    if (ch === 59 /* ; */) {
      endSegment();
      lines.push(current);
      current = [];
      genCol = 0;
      continue;
    }
    if (ch === 44 /* , */) {
      endSegment();
      continue;
    }
    const digit = ch < 128 ? BASE64_VALUES[ch]! : -1;
    if (digit < 0) break;
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  endSegment();
  lines.push(current);
  return lines;
}
