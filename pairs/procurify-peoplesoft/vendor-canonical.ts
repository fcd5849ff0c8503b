/**
 * The side-neutral form of a vendor, shared by both vendor flows so the engine's echo guard can recognise our own
 * write read back on the other side (activities/echo-guard.ts): the same fields, in the same format, whichever side
 * the vendor was read from or written to.
 */
export interface NeutralVendor {
  name: string;
  active: boolean;
}

const NAME_PART = 40;

/**
 * A Procurify name as PeopleSoft VENDOR.NAME1/NAME2 (Char40 each, https://pt.dbtutor.com/fscm/ap_arc_vendor_h.htm):
 * split at the last space that keeps NAME1 within 40 characters, so the two lines read back joined by one space are
 * the name again; a name longer than 81 characters keeps its first 81.
 */
export function splitVendorName(name: string): { NAME1: string; NAME2?: string } {
  const clean = name.trim();
  if (clean.length <= NAME_PART) return { NAME1: clean };
  const cut = clean.lastIndexOf(' ', NAME_PART);
  const [first, rest] = cut > 0 ? [clean.slice(0, cut), clean.slice(cut + 1)] : [clean.slice(0, NAME_PART), clean.slice(NAME_PART)];
  const second = rest.trim().slice(0, NAME_PART).trim();
  return second ? { NAME1: first.trim(), NAME2: second } : { NAME1: first.trim() };
}

/** NAME1 and NAME2 as one name (how a PeopleSoft vendor's name travels to Procurify). */
export function joinVendorName(name1: string, name2?: string | null): string {
  return [name1.trim(), (name2 ?? '').trim()].filter(Boolean).join(' ');
}

/** A Procurify vendor, as PeopleSoft can hold it. */
export function neutralFromProcurify(v: { name: string; active: boolean }): NeutralVendor {
  const { NAME1, NAME2 } = splitVendorName(v.name);
  return { name: joinVendorName(NAME1, NAME2), active: v.active };
}

/** A PeopleSoft vendor row or CI payload. Status `A` is active; every other status (I, D, X, E) is not. */
export function neutralFromPeopleSoft(v: { NAME1: string; NAME2?: string | null; VENDOR_STATUS?: string }): NeutralVendor {
  return { name: joinVendorName(v.NAME1, v.NAME2), active: v.VENDOR_STATUS === 'A' };
}
