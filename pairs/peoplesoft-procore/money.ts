import { MappingError } from '../../activities/flows/types';
import { canonicalDecimal, multiplyDecimals, parseDecimal } from '../../core/decimal';

/**
 * Money in this pair is decimal text end to end (core/decimal.ts: scaled BigInts, never a float). These wrappers turn
 * a bad amount into a MappingError naming the record and field, so it is dead-lettered with the reason.
 */
function decimal(value: string | number, what: string): string {
  const text = parseDecimal(value);
  if (text === undefined) throw new MappingError(`${what}: ${JSON.stringify(value)} is not a decimal amount (digits with an optional point, e.g. 1234.50)`);
  return text;
}

/** The canonical text of an amount ("100.50" and 100.5 are both "100.5"), for comparing, never for computing. */
export function normalizeAmount(value: string | number, what = 'amount'): string {
  return canonicalDecimal(decimal(value, what));
}

/** quantity x unit price, exactly. */
export function multiplyAmounts(a: string | number, b: string | number, what = 'amount'): string {
  return multiplyDecimals(decimal(a, what), decimal(b, what));
}

/**
 * An amount for a PeopleSoft CI field that carries at most `maxDecimals` decimals (MONETARY_AMOUNT 3, PRICE_PO 5): more
 * is refused by name rather than rounded, so the journal always equals the Procore cost to the cent.
 */
export function toPeopleSoftAmount(value: string | number, what: string, maxDecimals = 3): string {
  const text = normalizeAmount(value, what);
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  if (decimals > maxDecimals) throw new MappingError(`${what}: ${text} has more than the ${maxDecimals} decimals PeopleSoft's field carries`);
  return text;
}
