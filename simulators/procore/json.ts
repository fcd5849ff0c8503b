import type { Response } from 'express';

/**
 * Procore's v1 payloads carry ids as JSON numbers, and ids are 64-bit (https://developers.procore.com/documentation/tutorial-mpz).
 * The simulator keeps ids as digit strings and writes every `id` / `*_id` field (origin_id excepted: it is text) as a
 * number literal, digit for digit, so a client that parses with plain JSON.parse loses precision exactly as it would
 * against Procore.
 */
const MARK = '\u0000n:';
export function stringifyProcore(body: unknown): string {
  const text = JSON.stringify(body, (key, value: unknown) =>
    (key === 'id' || (key.endsWith('_id') && key !== 'origin_id')) && typeof value === 'string' && /^\d+$/.test(value) ? `${MARK}${value}\u0000` : value,
  );
  return text.replace(/"\\u0000n:(\d+)\\u0000"/g, '$1');
}

export function sendProcore(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(stringifyProcore(body));
}
