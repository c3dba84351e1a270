export { createKeyring, defaultActiveKeyId, parseMasterKeys } from './keyring.ts';
export type { Keyring } from './keyring.ts';
export { loadOrCreateMasterKeyFile } from './master-key-file.ts';
export { generateToken, generateWebhookSecret, hashToken, tokenMatchesHash } from './tokens.ts';
export { SecretsError } from './secrets-error.ts';
