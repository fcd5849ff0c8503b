import { z } from 'zod';

/**
 * Money as decimal text, never a float. Amounts travel through the engine as strings like "1250.50" and any
 * arithmetic (sums, products, rounding, comparison) is done on scaled BigInts, so no cent is ever lost to binary
 * floating point. Partner JSON that carries amounts as numbers is accepted at the edge when the number's shortest
 * round-trip text is a plain decimal (true for every amount with up to 15 significant digits, which is what the
 * partner sent); exponent forms are refused rather than guessed.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The decimal text of a string or JSON number, or undefined when it is not a plain decimal. */
export function parseDecimal(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim().replace(/^\+/, '');
    return DECIMAL.test(text) ? text : undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const text = String(value);
  return DECIMAL.test(text) ? text : undefined;
}

/** The decimal text of `value`; throws an error naming `what` and the expected form otherwise. */
export function requireDecimal(value: unknown, what: string): string {
  const text = parseDecimal(value);
  if (text === undefined) throw new Error(`${what} is ${JSON.stringify(value)}, not a decimal amount (digits with an optional point, e.g. 1234.50)`);
  return text;
}

/** zod edge schema: a string or JSON number that is a plain decimal, handed on as its decimal text. */
export const decimalSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = parseDecimal(value);
  if (text === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a decimal amount: ${JSON.stringify(value)} (digits with an optional point, e.g. 1234.50)` });
    return z.NEVER;
  }
  return text;
});

/** A decimal string in the form PeopleSoft's Signed Number(28,3) fields take, e.g. for a CI write schema. */
export const decimalTextSchema = (maxDecimals: number) =>
  z.string().regex(new RegExp(`^-?\\d+(\\.\\d{1,${maxDecimals}})?$`), `a decimal amount as text with at most ${maxDecimals} decimals, e.g. "1250.50"`);

const decimalsOf = (text: string): number => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/** `text` as an integer count of 10^-scale units, rounded half away from zero when it has more decimals. */
export function toScaled(text: string, scale: number): bigint {
  const d = requireDecimal(text, 'amount');
  const negative = d.startsWith('-');
  const [whole = '0', frac = ''] = d.replace('-', '').split('.');
  const kept = BigInt(whole + frac.slice(0, scale).padEnd(scale, '0'));
  const roundUp = frac.length > scale && frac.charCodeAt(scale) >= 53; // '5'
  const magnitude = roundUp ? kept + 1n : kept;
  return negative ? -magnitude : magnitude;
}

/** An integer count of 10^-scale units back as decimal text with exactly `scale` decimals. */
export function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Rounded (half away from zero) to exactly `places` decimals: formatDecimal("1250.5", 2) is "1250.50". */
export function formatDecimal(text: string, places: number): string {
  return fromScaled(toScaled(text, places), places);
}

/** The exact sum, with as many decimals as the most precise term; "0" for none. */
export function sumDecimals(texts: readonly string[]): string {
  const scale = Math.max(0, ...texts.map((t) => decimalsOf(requireDecimal(t, 'amount'))));
  return fromScaled(texts.reduce((sum, t) => sum + toScaled(t, scale), 0n), scale);
}

/** The exact product (e.g. quantity x unit price), with the decimals of both factors. */
export function multiplyDecimals(a: string, b: string): string {
  const sa = decimalsOf(requireDecimal(a, 'amount'));
  const sb = decimalsOf(requireDecimal(b, 'amount'));
  return fromScaled(toScaled(a, sa) * toScaled(b, sb), sa + sb);
}

/** -1, 0 or 1 as a is below, equal to or above b ("1.50" equals "1.5"). */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const scale = Math.max(decimalsOf(requireDecimal(a, 'amount')), decimalsOf(requireDecimal(b, 'amount')));
  const x = toScaled(a, scale);
  const y = toScaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One spelling per value: no leading zeros, no trailing fractional zeros, no "-0" ("007.50" -> "7.5"). */
export function canonicalDecimal(text: string): string {
  const scale = decimalsOf(requireDecimal(text, 'amount'));
  return fromScaled(toScaled(text, scale), scale).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** For people: rounded to `places` with thousands separators, "1,250.50" (en-US, as Asana and Jira show it). */
export function displayDecimal(text: string, places = 2): string {
  const [whole = '0', frac] = formatDecimal(text, places).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}
