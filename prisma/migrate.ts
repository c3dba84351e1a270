// CLI: apply pending SQL migrations to DATABASE_URL (npm run db:migrate).
import { fileURLToPath } from 'node:url';
import { applyMigrations } from '@tickbox/db';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(2);
}
const dir = fileURLToPath(new URL('./migrations', import.meta.url));
const result = await applyMigrations(url, dir);
console.log(`migrations: ${result.applied.length} applied (${result.applied.join(', ') || 'none'}), ${result.alreadyApplied.length} already applied`);
