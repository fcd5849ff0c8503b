/**
 * Money stays decimal text in our code. JAGGAER sends amounts as JSON numbers (`"total":{"value":6670.13}`,
 * UCLALibrary/jaggaer-api sample_data/invoice_list.json) and expects numbers back, so:
 * - reading: a number becomes its shortest round-trip text (`String(6670.13)` is "6670.13"), which is the text JAGGAER
 *   sent for any amount with up to 15 significant digits; exponent forms are refused rather than guessed;
 * - writing: decimal strings are written into the JSON as number literals, digit for digit, never through a float.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function decimalText(value: unknown): string | undefined {
  if (typeof value === 'string') return DECIMAL.test(value.trim()) ? value.trim() : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const text = String(value);
  return DECIMAL.test(text) ? text : undefined;
}

/** A decimal string to be written as a JSON number literal by `stringifyWithDecimals`. */
export class JsonDecimal {
  constructor(readonly text: string) {
    if (!DECIMAL.test(text)) throw new Error(`not a decimal amount: ${JSON.stringify(text)} (use digits with an optional point, e.g. 1234.50)`);
  }
  toJSON(): string {
    return `\u0000dec:${this.text}\u0000`;
  }
}

export function stringifyWithDecimals(value: unknown): string {
  // JSON.stringify escapes \u0000 as the six characters \u0000, which no other string can produce unescaped.
  return JSON.stringify(value).replace(/"\\u0000dec:(-?\d+(?:\.\d+)?)\\u0000"/g, '$1');
}
