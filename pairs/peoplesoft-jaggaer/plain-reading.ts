import { isPartnerError, PartnerError } from '../../core/partner-error';

/**
 * PeopleSoft's answers are cryptic ("Invalid value -- press the prompt button ... (15,11)"). Dead letters keep the raw
 * body as it came (rawResponse) and, in the message beside it, the plain-language reading recognize-error.ts has
 * for it, so support reads both in one row.
 */
export async function withPlainReading<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
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
