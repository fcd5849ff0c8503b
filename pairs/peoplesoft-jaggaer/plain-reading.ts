import { z } from 'zod';
import { MappingError } from '../../activities/flows/types';
import { isPartnerError, PartnerError } from '../../core/partner-error';

/**
 * PeopleSoft's answers are cryptic ("Invalid value -- press the prompt button ... (15,11)"). Dead letters keep the raw
 * body as it came (rawResponse) and, in the message beside it, the plain-language reading recognize-error.ts has
 * for it, so support reads both in one row. A payload the connector's CI schema refuses before sending is a
 * MappingError naming the field (permanent: dead-lettered, not retried as if PeopleSoft were down).
 */
export async function withPlainReading<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof z.ZodError) {
      throw new MappingError(`PeopleSoft would refuse this record: ${err.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ')}`);
    }
    if (!isPartnerError(err) || !err.hint || err.message.includes(err.hint)) throw err;
    throw new PartnerError(`${err.message} | What it means: ${err.hint}`, {
      partner: err.partner,
      operation: err.operation,
      status: err.status,
      rawBody: err.rawBody,
      decision: err.decision,
      code: err.code,
      hint: err.hint,
    });
  }
}
