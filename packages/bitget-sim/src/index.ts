export { createSimulator } from './simulator.ts';
export { DEFAULT_BALANCES } from './state.ts';
export { BitgetSimError, SimulatorConfigError } from './errors.ts';
export type { AccountSpec, Simulator, SimulatorLogger, SimulatorOptions } from './types.ts';
export type { RecordedRequest } from './request-log.ts';
