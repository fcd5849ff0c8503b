/** Decimal strings as scaled BigInts: the simulator totals money without floats, like the product must. */
function scaled(value: string, scale: number): bigint {
  const [int = '0', frac = ''] = value.split('.');
  return BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
}

/** Sum of quantity x price over lines, rounded half-up to cents, as "123.45". */
export function totalOf(lines: { quantity: string; price: string }[]): string {
  const QS = 5;
  const PS = 8;
  let sum = 0n;
  for (const l of lines) sum += scaled(l.quantity, QS) * scaled(l.price, PS);
  const divisor = 10n ** BigInt(QS + PS - 2);
  const cents = (sum + divisor / 2n) / divisor;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}
