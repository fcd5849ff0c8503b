/**
 * origin_ids we write on Procore direct costs made from PeopleSoft vouchers: `<voucher key>#<part>` for the parts of
 * a voucher (at most 100 lines each) and `<voucher key>#adj-<n>` for the costs that adjust it after an edit.
 */
export const voucherPartOrigin = (voucherKey: string, part: number) => `${voucherKey}#${part}`;
export const voucherAdjustmentOrigin = (voucherKey: string, n: number) => `${voucherKey}#adj-${n}`;

/** A direct cost we made from a voucher: it is PeopleSoft's already, so it never goes back as a journal (no echo). */
export const isVoucherCost = (originId: string | null | undefined) => typeof originId === 'string' && /^voucher:[^#]+#(\d+|adj-\d+)$/.test(originId);
