import { parseDecimal } from '../../core/decimal';

/**
 * Money stays decimal text in our code. JAGGAER sends amounts as JSON numbers (`"total":{"value":6670.13}`,
 * UCLALibrary/jaggaer-api sample_data/invoice_list.json) and expects numbers back, so:
 * - reading: core/decimal.ts's parseDecimal (a number becomes its shortest round-trip text, which is the text JAGGAER
 *   sent for any amount with up to 15 significant digits; exponent forms are refused rather than guessed);
 * - writing: decimal strings are written into the JSON as number literals, digit for digit, never through a float.
 */
/** A decimal string to be written as a JSON number literal by `stringifyWithDecimals`. */
export class JsonDecimal {
  readonly text: string;
  constructor(text: string) {
    const parsed = typeof text === 'string' ? parseDecimal(text) : undefined;
    if (parsed === undefined) throw new Error(`not a decimal amount: ${JSON.stringify(text)} (use digits with an optional point, e.g. 1234.50)`);
    this.text = parsed;
  }
  toJSON(): string {
    return `\u0000dec:${this.text}\u0000`;
  }
}

export function stringifyWithDecimals(value: unknown): string {
  // JSON.stringify escapes \u0000 as the six characters \u0000, which no other string can produce unescaped.
  return JSON.stringify(value).replace(/"\\u0000dec:(-?\d+(?:\.\d+)?)\\u0000"/g, '$1');
}
