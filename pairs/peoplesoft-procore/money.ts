import { MappingError } from '../../activities/flows/types';

/**
 * Money in this pair is decimal text end to end; no float arithmetic. The two operations the pair needs that
 * core/decimal.ts (arriving on main) may not cover are here; `normalize` and the sum in tests move to core/decimal.ts
 * once it is merged.
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function scaled(text: string, what: string): { units: bigint; scale: number } {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new MappingError(`${what}: "${text}" is not a decimal amount (digits with an optional point, e.g. 1234.50)`);
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2]}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return { units, scale: frac.length };
}

function render(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** The canonical text of an amount ("100.50" and 100.5 are both "100.5"), for comparing, never for computing. */
export function normalizeAmount(value: string | number, what = 'amount'): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new MappingError(`${what}: ${value} is not a finite amount`);
  const { units, scale } = scaled(String(value), what);
  return render(units, scale);
}

/** quantity x unit price, exactly. */
export function multiplyAmounts(a: string | number, b: string | number, what = 'amount'): string {
  const x = scaled(String(a), what);
  const y = scaled(String(b), what);
  return render(x.units * y.units, x.scale + y.scale);
}

/**
 * The value PeopleSoft's CI schemas take today (numbers, written as xsd:decimal). Amounts from Procore have at most
 * two decimals and fewer than 15 significant digits, so the number's text is the same digits; the merge of
 * core/decimal.ts turns these schemas to decimal strings and this function into the identity.
 */
export function toPeopleSoftAmount(text: string, what: string): number {
  const normalized = normalizeAmount(text, what);
  if (normalized.replace(/[-.]/g, '').length > 15) throw new MappingError(`${what}: ${text} has more significant digits than PeopleSoft's amount fields carry exactly`);
  return Number(normalized);
}
