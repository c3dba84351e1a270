export { SandboxSupervisor } from './supervisor/sandbox-supervisor.ts';
export { JsonText } from './json-text.ts';
export { SandboxError, type SandboxErrorCode } from './errors.ts';
export { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';
export type {
  HostApi,
  LogEntry,
  LogLevel,
  RunError,
  RunRequest,
  RunOptions,
  RunResult,
  RunnerHostModule,
  RunTrigger,
  SandboxLogger,
  SupervisorOptions,
  SupervisorStats,
} from './types.ts';
export { compileWorker, type CompileWorkerResult } from './syntax.ts';
