import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { defaultActiveKeyId } from './keyring.ts';

/**
 * Local mode: a master key generated once into the data dir (mode 0600) and reused.
 * Returns the spec string understood by parseMasterKeys and the active id.
 */
export async function loadOrCreateMasterKeyFile(path: string): Promise<{ spec: string; activeKeyId: string }> {
  let spec: string;
  try {
    spec = (await readFile(path, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    spec = `local1:${randomBytes(32).toString('base64')}`;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, spec + '\n', { mode: 0o600, flag: 'wx' });
  }
  await chmod(path, 0o600);
  return { spec, activeKeyId: defaultActiveKeyId(spec) };
}
