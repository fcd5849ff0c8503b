import { createHash } from 'node:crypto';

/** Logs and limiter keys carry a short hash of the bearer token, never the token. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 16);
