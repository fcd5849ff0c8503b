import { z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import { JAGGAER } from './provider';

const count = z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)]);

/**
 * Every J1P / JAGGAER Advanced answer: `{ returnCode, returnMessage, totRecords, returnedRecords, startAt, ...List }`
 * (UCLALibrary/jaggaer-api sample_data/invoice_list.json). `returnCode` other than 0 is an error even under HTTP 200
 * (Network-Rail-Business-Systems/bravo-api src/BravoApi.php throws on `returnCode !== 0` after a successful HTTP call).
 */
export const envelopeSchema = z
  .object({
    returnCode: z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]),
    returnMessage: z.string().nullish(),
  })
  .loose();

export const listEnvelopeSchema = envelopeSchema.extend({ totRecords: count, returnedRecords: count.optional(), startAt: count.optional() });
export type ListEnvelope = z.infer<typeof listEnvelopeSchema>;

/**
 * Parses an HTTP 2xx answer and refuses anything that is not a successful envelope: a non-zero returnCode becomes a
 * PartnerError with the raw body (so the record dead-letters with JAGGAER's own words), and an answer without a
 * returnCode is never taken for success either.
 */
export function successfulEnvelope(operation: string, status: number, raw: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    throw new PartnerError(`jaggaer ${operation}: HTTP ${status} without a returnCode envelope`, {
      partner: JAGGAER,
      operation,
      status,
      rawBody: raw.slice(0, 64 * 1024),
      decision: { retry: false, reason: 'answer is not a JAGGAER envelope (no returnCode)' },
      code: 'JAGGAER_UNEXPECTED_RESPONSE',
      hint: 'Check the connection instanceUrl and the provider paths: this answer did not come from the JAGGAER public API.',
    });
  }
  if (parsed.data.returnCode !== 0) {
    const message = parsed.data.returnMessage?.trim();
    throw new PartnerError(`jaggaer ${operation}: returnCode ${parsed.data.returnCode}${message ? `: ${message}` : ''}`, {
      partner: JAGGAER,
      operation,
      status,
      rawBody: raw.slice(0, 64 * 1024),
      decision: { retry: false, reason: `JAGGAER answered returnCode ${parsed.data.returnCode} (an error under HTTP ${status})` },
      code: `JAGGAER_RETURN_CODE_${parsed.data.returnCode}`,
      hint: 'JAGGAER refused the request; its returnMessage says why. Fix the data or mapping, then replay the record.',
    });
  }
  return json as Record<string, unknown>;
}
