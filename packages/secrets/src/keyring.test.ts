import { randomBytes } from 'node:crypto';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyring, parseMasterKeys } from './keyring.ts';
import { loadOrCreateMasterKeyFile } from './master-key-file.ts';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('keyring', () => {
  it('round-trips and never contains the plaintext', () => {
    const ring = createKeyring(parseMasterKeys(`a:${k1}`), 'a');
    const { ciphertext, keyId } = ring.encrypt('my-secret-passphrase', 'row-1');
    expect(keyId).toBe('a');
    expect(ciphertext).not.toContain('my-secret');
    expect(ring.decrypt(ciphertext, 'row-1')).toBe('my-secret-passphrase');
  });

  it('refuses a ciphertext moved to another row', () => {
    const ring = createKeyring(parseMasterKeys(`a:${k1}`), 'a');
    const { ciphertext } = ring.encrypt('x', 'row-1');
    expect(() => ring.decrypt(ciphertext, 'row-2')).toThrow(/failed authentication/);
  });

  it('rotates: old ciphertexts decrypt after a new active key is added', () => {
    const old = createKeyring(parseMasterKeys(`a:${k1}`), 'a');
    const { ciphertext } = old.encrypt('s', 'r');
    const rotated = createKeyring(parseMasterKeys(`a:${k1},b:${k2}`), 'b');
    expect(rotated.decrypt(ciphertext, 'r')).toBe('s');
    expect(rotated.encrypt('s', 'r').keyId).toBe('b');
  });

  it('names what is wrong with bad master keys', () => {
    expect(() => parseMasterKeys('nokey')).toThrow(/<id>:<base64 key>/);
    expect(() => parseMasterKeys('a:AAAA')).toThrow(/32 bytes/);
    expect(() => createKeyring(parseMasterKeys(`a:${k1}`), 'b')).toThrow(/"b" is not among/);
  });

  it('detects tampering', () => {
    const ring = createKeyring(parseMasterKeys(`a:${k1}`), 'a');
    const { ciphertext } = ring.encrypt('secret', 'r');
    const parts = ciphertext.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[body.length - 1]! ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => ring.decrypt(parts.join('.'), 'r')).toThrow(/failed authentication/);
  });

  it('creates the local master key file with mode 0600 and reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tbx-secrets-'));
    const path = join(dir, 'master.key');
    const first = await loadOrCreateMasterKeyFile(path);
    const second = await loadOrCreateMasterKeyFile(path);
    expect(second).toEqual(first);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(() => parseMasterKeys(first.spec)).not.toThrow();
  });
});
