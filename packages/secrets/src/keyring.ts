import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretsError } from './secrets-error.ts';

export interface Keyring {
  readonly activeKeyId: string;
  /** Envelope-encrypts `plaintext`; `aad` binds the ciphertext to its owner row so rows cannot be swapped. */
  encrypt(plaintext: string, aad: string): { ciphertext: string; keyId: string };
  decrypt(ciphertext: string, aad: string): string;
}

const VERSION = 'v1';

/**
 * Master keys: `"<id>:<base64 32 bytes>,<id2>:<…>"`. Several ids allow rotation: new
 * ciphertexts use the active id, old ones still decrypt with theirs.
 */
export function parseMasterKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) throw new SecretsError('BAD_MASTER_KEYS', 'master keys must look like "<id>:<base64 key>[,<id>:<base64 key>]"');
    const id = part.slice(0, idx);
    const key = Buffer.from(part.slice(idx + 1), 'base64');
    if (key.length !== 32) throw new SecretsError('BAD_MASTER_KEYS', `master key "${id}" must decode to 32 bytes (got ${key.length})`);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new SecretsError('BAD_MASTER_KEYS', `master key id "${id}" may only contain letters, digits, _ and -`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new SecretsError('BAD_MASTER_KEYS', 'no master key given');
  return keys;
}

/** The key id that encrypts new secrets when none is named: the last one listed (the newest). */
export function defaultActiveKeyId(spec: string): string {
  const ids = [...parseMasterKeys(spec).keys()];
  return ids[ids.length - 1]!;
}

export function createKeyring(keys: Map<string, Buffer>, activeKeyId: string): Keyring {
  const active = keys.get(activeKeyId);
  if (!active) throw new SecretsError('BAD_MASTER_KEYS', `active master key id "${activeKeyId}" is not among the master keys`);
  return {
    activeKeyId,
    encrypt(plaintext, aad) {
      // A fresh data key per record: the master key only ever encrypts 32 random bytes.
      const dataKey = randomBytes(32);
      const wrapped = seal(active, dataKey, `${VERSION}|${activeKeyId}|dek`);
      const body = seal(dataKey, Buffer.from(plaintext, 'utf8'), `${VERSION}|${activeKeyId}|${aad}`);
      return { ciphertext: [VERSION, activeKeyId, wrapped, body].join('.'), keyId: activeKeyId };
    },
    decrypt(ciphertext, aad) {
      const [version, keyId, wrapped, body] = ciphertext.split('.');
      if (version !== VERSION || !keyId || !wrapped || !body) throw new SecretsError('BAD_CIPHERTEXT', 'ciphertext is not in the expected format');
      const master = keys.get(keyId);
      if (!master) throw new SecretsError('UNKNOWN_KEY_ID', `ciphertext was made with master key "${keyId}", which is not configured`);
      const dataKey = open(master, wrapped, `${VERSION}|${keyId}|dek`);
      return open(dataKey, body, `${VERSION}|${keyId}|${aad}`).toString('utf8');
    },
  };
}

function seal(key: Buffer, data: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 28) throw new SecretsError('BAD_CIPHERTEXT', 'ciphertext is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch (err) {
    throw new SecretsError('DECRYPT_FAILED', 'ciphertext failed authentication (wrong key, wrong owner, or tampered)', { cause: err });
  }
}
