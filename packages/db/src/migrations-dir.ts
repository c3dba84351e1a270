import { fileURLToPath } from 'node:url';

/** The SQL migrations live at the repo root in prisma/migrations; the db package owns them. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));
