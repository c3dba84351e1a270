import { fileURLToPath } from 'node:url';

/** Static dashboard files, served by the api at `/`. */
export const WEB_ROOT = fileURLToPath(new URL('../public', import.meta.url));
