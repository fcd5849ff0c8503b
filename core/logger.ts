import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by path, as a second line of defence: code
 * must not log credentials in the first place. `destination` defaults to stdout; tests pass one to capture lines (the
 * canary test searches them for secrets).
 */
export function createLogger(level: string, name = 'ml-connector', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-hook-secret"]',
        'req.headers["x-hook-signature"]',
        // The Asana handshake echoes the secret back in the response: pino-http logs response headers too.
        'res.headers["x-hook-secret"]',
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
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
