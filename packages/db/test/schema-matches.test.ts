import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readPrismaModels } from './prisma-schema.ts';
import type { SchemaModel } from './prisma-schema.ts';

const SCHEMA = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
let client: pg.Client;
let models: SchemaModel[];

beforeAll(async () => {
  client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  models = await readPrismaModels(SCHEMA);
});
afterAll(() => client.end());

async function indexColumns(table: string, unique: boolean): Promise<string[][]> {
  const { rows } = await client.query<{ cols: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY k.ord) AS cols
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE t.relname = $1 AND i.indisunique = $2 AND NOT i.indisprimary
      GROUP BY i.indexrelid`,
    [table, unique],
  );
  return rows.map((r) => r.cols).sort();
}

describe('prisma/schema.prisma agrees with the migrated database', () => {
  it('has the same tables', async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(models.map((m) => m.name).sort());
  });

  it('has the same columns, types and nullability in every table', async () => {
    for (const model of models) {
      const { rows } = await client.query<{ column_name: string; udt_name: string; is_nullable: string }>(
        `SELECT column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [model.name],
      );
      const actual = rows.map((r) => ({ name: r.column_name, sqlType: r.udt_name, nullable: r.is_nullable === 'YES' }));
      expect(actual.sort((a, b) => a.name.localeCompare(b.name)), model.name).toEqual(
        [...model.columns].sort((a, b) => a.name.localeCompare(b.name)),
      );
    }
  });

  it('has the same primary keys, unique constraints and indexes', async () => {
    for (const model of models) {
      const { rows } = await client.query<{ cols: string[] }>(
        `SELECT array_agg(a.attname::text ORDER BY a.attnum) AS cols FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
          WHERE t.relname = $1 AND i.indisprimary GROUP BY i.indexrelid`,
        [model.name],
      );
      expect(rows[0]?.cols, `${model.name} primary key`).toEqual(model.primaryKey);
      expect(await indexColumns(model.name, true), `${model.name} uniques`).toEqual([...model.uniques].sort());
      expect(await indexColumns(model.name, false), `${model.name} indexes`).toEqual([...model.indexes].sort());
    }
  });

  it('names every index as `prisma migrate` would, and creates them as it does (not partial, NULLs distinct)', async () => {
    for (const model of models) {
      const { rows } = await client.query<{ name: string; partial: boolean; nulls_not_distinct: boolean }>(
        `SELECT c.relname AS name, i.indpred IS NOT NULL AS partial, i.indnullsnotdistinct AS nulls_not_distinct
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid
          WHERE t.relname = $1`,
        [model.name],
      );
      const name = (cols: string[], suffix: string) => `${model.name}_${cols.join('_')}_${suffix}`;
      const expected = [`${model.name}_pkey`, ...model.uniques.map((u) => name(u, 'key')), ...model.indexes.map((x) => name(x, 'idx'))];
      expect(rows.map((r) => r.name).sort(), `${model.name} index names`).toEqual(expected.sort());
      expect(rows.filter((r) => r.partial || r.nulls_not_distinct), `${model.name} index options`).toEqual([]);
    }
  });
});
