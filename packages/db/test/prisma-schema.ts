import { readFile } from 'node:fs/promises';

export interface SchemaColumn { name: string; sqlType: string; nullable: boolean }
export interface SchemaModel { name: string; columns: SchemaColumn[]; uniques: string[][]; indexes: string[][]; primaryKey: string[] }

// Prisma scalar → PostgreSQL type as information_schema reports it (udt_name), with @db overrides.
const SCALARS: Record<string, string> = {
  String: 'text', Boolean: 'bool', Int: 'int4', BigInt: 'int8', Float: 'float8',
  Decimal: 'numeric', DateTime: 'timestamp', Json: 'jsonb',
};
const DB_TYPES: Record<string, string> = { Uuid: 'uuid', Timestamptz: 'timestamptz', Decimal: 'numeric' };

/** A deliberately small reader of schema.prisma: enough to compare models with the database. */
export async function readPrismaModels(path: string): Promise<SchemaModel[]> {
  const text = await readFile(path, 'utf8');
  const models: SchemaModel[] = [];
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const model: SchemaModel = { name: m[1]!, columns: [], uniques: [], indexes: [], primaryKey: [] };
    const modelNames = new Set([...text.matchAll(/^model (\w+)/gm)].map((x) => x[1]));
    for (const raw of m[2]!.split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const block = line.match(/^@@(unique|index|id)\(\[([^\]]+)\]/);
      if (block) {
        const cols = block[2]!.split(',').map((s) => s.trim());
        if (block[1] === 'unique') model.uniques.push(cols);
        else if (block[1] === 'index') model.indexes.push(cols);
        else model.primaryKey = cols;
        continue;
      }
      const field = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/);
      if (!field) continue;
      const [, name, type, list, optional, attrs] = field as unknown as [string, string, string, string | undefined, string | undefined, string];
      if (modelNames.has(type)) continue;
      const dbType = attrs.match(/@db\.(\w+)/)?.[1];
      const sqlType = (dbType && DB_TYPES[dbType]) ?? SCALARS[type];
      if (!sqlType) throw new Error(`unknown Prisma type ${type} on ${model.name}.${name}`);
      // A scalar list is a PostgreSQL array (udt_name `_text` for String[]). Prisma cannot mark a
      // list optional, yet `prisma migrate` creates the column nullable (prisma/prisma#4729); our
      // hand-written migrations do the same so that Prisma's own diff stays empty.
      if (list) model.columns.push({ name, sqlType: `_${sqlType}`, nullable: true });
      else model.columns.push({ name, sqlType, nullable: Boolean(optional) });
      if (/@id\b/.test(attrs)) model.primaryKey = [name];
      if (/@unique\b/.test(attrs)) model.uniques.push([name]);
    }
    models.push(model);
  }
  return models;
}
