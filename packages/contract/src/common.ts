import Type from 'typebox';

export const ErrorBody = Type.Object({
  error: Type.String({ description: 'machine-readable code, e.g. invalid_request, not_found' }),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
});

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
