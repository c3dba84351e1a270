import Type from 'typebox';
import type { Static } from 'typebox';

export const CreateUserBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  isAdmin: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const CreateTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
}, { additionalProperties: false });

/** GET /api/me: the user the request's token belongs to. */
export const MeView = Type.Object({ id: Type.String(), name: Type.String(), isAdmin: Type.Boolean() });
export type MeViewT = Static<typeof MeView>;

/** GET /api/tokens: one of the caller's API tokens; never the token or its hash. */
export const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()], { description: 'recorded at most once a minute per token; null = never used' }),
  current: Type.Boolean({ description: 'true for the token this request was made with' }),
});
export type TokenViewT = Static<typeof TokenView>;

/** POST /api/tokens: the new token, shown this once (only its hash is stored). */
export const TokenCreatedView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String({ description: 'the bearer token; shown only in this answer' }),
});
export type TokenCreatedViewT = Static<typeof TokenCreatedView>;

/** GET /api/users (admins): every user with how many workers (not deleted) and tokens they have. */
export const UserView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  isAdmin: Type.Boolean(),
  createdAt: Type.String(),
  workers: Type.Integer({ description: 'workers that are not deleted' }),
  tokens: Type.Integer({ description: 'API tokens' }),
});
export type UserViewT = Static<typeof UserView>;

/** POST /api/users (admins): the new user and its initial token, shown this once. */
export const UserCreatedView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  isAdmin: Type.Boolean(),
  token: Type.String({ description: 'the user\'s initial bearer token; shown only in this answer' }),
});
export type UserCreatedViewT = Static<typeof UserCreatedView>;
