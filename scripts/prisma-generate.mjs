// Runs `prisma generate` offline. Prisma 7's CLI tries to download its schema engine first;
// generating the client does not need it, so we point PRISMA_SCHEMA_ENGINE_BINARY at a stub
// that exits 1 (exit 0 would make migrate commands silently succeed doing nothing).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = join(tmpdir(), 'tickbox-prisma-stub');
mkdirSync(dir, { recursive: true });
const stub = join(dir, 'schema-engine-stub');
writeFileSync(stub, '#!/bin/sh\necho "schema engine not available offline; use npm run db:migrate" >&2\nexit 1\n');
chmodSync(stub, 0o755);
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
const r = spawnSync('npx', ['--no-install', 'prisma', 'generate', '--schema', 'prisma/schema.prisma'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
