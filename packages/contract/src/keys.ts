import Type from 'typebox';
import type { Static } from 'typebox';

export const CreateKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mode: Type.Union([Type.Literal('live'), Type.Literal('demo'), Type.Literal('sim')]),
  apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  secret: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  passphrase: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });
export type CreateKey = Static<typeof CreateKeyBody>;

export const KeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mode: Type.String(),
  apiKeyHint: Type.String({ description: 'last 4 characters of the API key' }),
  createdAt: Type.String(),
});
export type KeyViewT = Static<typeof KeyView>;
