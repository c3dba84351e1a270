import Type from 'typebox';
import type { Static } from 'typebox';
import { ProductType } from './workers.ts';

export const CreateKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mode: Type.Union([Type.Literal('live'), Type.Literal('demo'), Type.Literal('sim')]),
  apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  secret: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  passphrase: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });
export type CreateKey = Static<typeof CreateKeyBody>;

/**
 * PATCH /api/keys/:id: a new name, and/or new credentials of the same Bitget account (a rotated
 * API key). A demo or live key takes apiKey, secret and passphrase together; a sim key any of them.
 * `mode` is accepted only to be refused with a clear message: a key never changes exchange.
 */
export const UpdateKeyBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  mode: Type.Optional(Type.String()),
  apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  secret: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  passphrase: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });
export type UpdateKey = Static<typeof UpdateKeyBody>;

export const KeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mode: Type.String(),
  apiKeyHint: Type.String({ description: 'last 4 characters of the API key' }),
  createdAt: Type.String(),
  rotatedAt: Type.Union([Type.String(), Type.Null()], { description: 'when the credentials were last replaced' }),
});
export type KeyViewT = Static<typeof KeyView>;

/** GET /api/keys/:id/account: which futures product type to read (default USDT-FUTURES). */
export const AccountQuery = Type.Object({
  productType: Type.Optional(ProductType),
}, { additionalProperties: false });
