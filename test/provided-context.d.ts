// Values the global setup provides to every test file via inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext { databaseUrl: string; redisUrl: string }
}
