export { buildApp } from './app.ts';
export type { App, AppDeps } from './app.ts';
