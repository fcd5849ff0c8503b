import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by path, as a second line of defence: code
 * must not log credentials in the first place.
 */
export function createLogger(level: string, name = 'ml-connector'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-hook-secret"]',
        'req.headers["x-hook-signature"]',
        '*.password',
        '*.token',
        '*.accessToken',
        '*.refreshToken',
        '*.clientSecret',
        '*.secret',
        'credentials',
        '*.credentials',
      ],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
