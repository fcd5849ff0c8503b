import { isPartnerError, type PartnerError } from '../../core/partner-error';

/** Awaits a call that must fail with a PartnerError and returns it (anything else fails the test). */
export async function partnerFailure(p: Promise<unknown>): Promise<PartnerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPartnerError(err)) throw new Error(`expected a PartnerError, got ${String(err)}`);
  return err;
}
