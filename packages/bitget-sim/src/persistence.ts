import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SimulatorConfigError } from './errors.ts';
import type { SimState, SimulatorLogger } from './types.ts';

export function loadState(file: string): SimState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SimulatorConfigError('STATE_UNREADABLE', `cannot read simulator state ${file}`, { cause: err });
  }
  try {
    const state = JSON.parse(text) as SimState;
    if (state.version !== 1 || typeof state.accounts !== 'object') throw new Error(`unsupported state version ${String(state.version)}`);
    return state;
  } catch (cause) {
    throw new SimulatorConfigError('STATE_INVALID', `simulator state ${file} is not valid`, { cause });
  }
}

/**
 * Debounced, atomic persistence: changes are coalesced for `delayMs`, written to a temp file
 * and renamed over the target so a crash never leaves a half-written state.
 */
export class StateSaver {
  readonly #file: string;
  readonly #state: () => SimState;
  readonly #logger: SimulatorLogger;
  readonly #delayMs: number;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  // Unique per saver: two simulators in one process may share a data file in tests.
  readonly #tmp = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;

  constructor(file: string, state: () => SimState, logger: SimulatorLogger, delayMs = 200) {
    this.#file = file;
    this.#state = state;
    this.#logger = logger;
    this.#delayMs = delayMs;
    mkdirSync(dirname(file), { recursive: true });
  }

  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#writing = this.#writing.then(() => this.#writeAsync()).catch((err: unknown) => this.#logger.warn('simulator state not saved', err));
    }, this.#delayMs);
    this.#timer.unref();
  }

  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
    const tmp = `${this.#file}${this.#tmp}`;
    writeFileSync(tmp, JSON.stringify(this.#state()));
    renameSync(tmp, this.#file);
  }

  async #writeAsync(): Promise<void> {
    const tmp = `${this.#file}${this.#tmp}`;
    await writeFile(tmp, JSON.stringify(this.#state()));
    await rename(tmp, this.#file);
  }
}
