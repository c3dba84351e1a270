/** pino redact paths: credentials never reach a log line. */
export const LOG_REDACT = {
  paths: [
    'req.headers.authorization', 'req.headers["access-sign"]', 'req.headers["access-passphrase"]', 'req.headers["access-key"]',
    '*.secret', '*.passphrase', '*.apiKey', '*.token', '*.masterKeys', 'body.secret', 'body.passphrase', 'body.apiKey',
  ],
  censor: '[redacted]',
};
