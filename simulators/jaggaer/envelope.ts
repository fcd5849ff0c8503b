import type { Response } from 'express';
import type { PartnerErrorShapes } from '../kit/faults';

/**
 * JAGGAER answers in `{ returnCode, returnMessage, totRecords, returnedRecords, startAt, ...List }`
 * (UCLALibrary/jaggaer-api sample_data/invoice_list.json). Request and validation errors come back as HTTP 200 with a
 * non-zero returnCode and the reason in returnMessage (Network-Rail-Business-Systems/bravo-api checks returnCode after
 * a successful HTTP call). The codes used here are this simulator's: JAGGAER documents none (UNCONFIRMED).
 */
export const RETURN_CODES = { ok: 0, invalidRequest: 1, validation: 2, notFound: 3, duplicate: 4 } as const;

export function sendOk(res: Response, extra: Record<string, unknown> = {}): void {
  res.status(200).json({ returnCode: RETURN_CODES.ok, returnMessage: 'OK', ...extra });
}

export function sendReturnCode(res: Response, returnCode: number, returnMessage: string): void {
  res.status(200).json({ returnCode, returnMessage, totRecords: 0, returnedRecords: 0 });
}

/**
 * 429 and 5xx bodies: JAGGAER documents neither for eProcurement (only ASO's customer-specific 429s, partner-apis.md
 * part 2 §4), so a plain JSON message with the status's reason phrase; 429 carries Retry-After in seconds.
 */
export const jaggaerErrorShapes: PartnerErrorShapes = {
  tooManyRequests: (retryAfterSeconds) => ({ body: { error: 'Too Many Requests' }, headers: { 'Retry-After': String(retryAfterSeconds) } }),
  serverError: (status) => ({ body: { error: status === 503 ? 'Service Unavailable' : 'Internal Server Error' } }),
};
