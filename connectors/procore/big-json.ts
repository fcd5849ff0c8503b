/**
 * Procore ids are 64-bit and "can exceed 32 bits" (https://developers.procore.com/documentation/tutorial-mpz): a JSON
 * number above 2^53 loses digits in JSON.parse. This parser rewrites every integer literal of 16 digits or more into a
 * string before parsing (outside string literals only), so such ids arrive as their exact digits; schemas accept an id
 * as a number or a string and keep it as a string. Decimal literals are left alone (Procore sends money as strings).
 */
export function parseJsonKeepingBigInts(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text));
}

export function quoteBigIntegers(text: string): string {
  let out = '';
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal, escapes included.
      i += 1;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i += 1;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i += 1;
      while (i < text.length && /[0-9.eE+-]/.test(text[i]!)) i += 1;
      const literal = text.slice(start, i);
      if (/^-?\d{16,}$/.test(literal)) {
        out += `${text.slice(last, start)}"${literal}"`;
        last = i;
      }
      continue;
    }
    i += 1;
  }
  return out + text.slice(last);
}
