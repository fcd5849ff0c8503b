import { MissingReferenceError } from '../../activities/flows/types';
import { recordKey } from '../../connectors/peoplesoft';
import { getByKeys, keysOf, sameAsWritten, type CiPayload } from '../../connectors/peoplesoft/ci-write';
import { ciMethods, ciOperation, componentInterfaces, type ComponentInterfaceName } from '../../connectors/peoplesoft/component-interfaces';
import { PARTNER } from '../../connectors/peoplesoft/recognize-error';
import { PartnerError } from '../../core/partner-error';
import type { PairContext } from './context';

type Row = Record<string, unknown>;

/**
 * What PeopleSoft holds now, read through the CIs' Get method (`<CI>_G` with KEYPROP_ keys, connectors/peoplesoft/
 * ci-write.ts): whether a document's vendor and PO exist before it is written, and the current values of a record
 * whose CI cannot update it. Rows found are kept for the activity (a page of 300 POs over 20 vendors costs 20 Gets);
 * absences are asked again, since the record they wait for may arrive any time.
 */
export function peopleSoftReads(pair: PairContext) {
  const found = new Map<string, Promise<Row | undefined>>();
  function get(ci: ComponentInterfaceName, keys: Record<string, string>): Promise<Row | undefined> {
    const id = `${ci}|${Object.values(keys).join('/')}`;
    let row = found.get(id);
    if (!row) {
      row = getByKeys(pair.peoplesoftSoap, ci, keys).then(
        (r) => (r === undefined && found.delete(id), r),
        (err: unknown) => {
          found.delete(id);
          throw err;
        },
      );
      found.set(id, row);
    }
    return row;
  }

  return {
    vendor: (setId: string, vendorId: string) => get(componentInterfaces.vendor, { SETID: setId, VENDOR_ID: vendorId }),

    /** A document may only be posted against a vendor PeopleSoft has: otherwise it waits for the supplier's sync. */
    async requireVendor(setId: string, vendorId: string, document: string): Promise<void> {
      if (await get(componentInterfaces.vendor, { SETID: setId, VENDOR_ID: vendorId })) return;
      throw new MissingReferenceError(recordKey('vendor', setId, vendorId), `PeopleSoft has no vendor ${setId}/${vendorId} yet: ${document} waits until JAGGAER supplier ${vendorId} has synced to PeopleSoft`);
    },

    /** A PO invoice is matched to its PO: it waits until that PO (approved in JAGGAER, then synced) is in PeopleSoft. */
    async requirePurchaseOrder(businessUnit: string, poId: string, document: string): Promise<void> {
      if (await get(componentInterfaces.purchaseOrder, { BUSINESS_UNIT: businessUnit, PO_ID: poId })) return;
      throw new MissingReferenceError(recordKey('purchaseOrder', businessUnit, poId), `PeopleSoft has no purchase order ${businessUnit}/${poId} yet: ${document} waits until JAGGAER PO ${poId} is approved and synced`);
    },

    /**
     * A document changed in JAGGAER after PeopleSoft recorded it, through a CI that offers no Update: nothing to do
     * when PeopleSoft already holds these values (a buyer made the change there); otherwise a permanent error that
     * names the fields, so the record is dead-lettered with PeopleSoft's current values and replayed once fixed.
     */
    async requireSameAsPeopleSoft(ci: ComponentInterfaceName, payload: CiPayload, document: string): Promise<void> {
      const keys = keysOf(ci, payload);
      const current = await getByKeys(pair.peoplesoftSoap, ci, keys);
      if (current && sameAsWritten(payload, current)) return;
      const differing = current ? Object.keys(payload).filter((f) => payload[f] !== undefined && !sameAsWritten({ [f]: payload[f] }, current)) : [];
      const what = current ? `${differing.join(', ')} differ from PeopleSoft's` : `PeopleSoft no longer has ${Object.values(keys).join('/')}`;
      throw new PartnerError(`${document} changed in JAGGAER after PeopleSoft recorded it (${what}), and ${ci} offers ${ciMethods[ci].join(' and ')} only, so the change cannot be sent`, {
        partner: PARTNER,
        operation: ciOperation(ci, 'Update'),
        rawBody: JSON.stringify({ [ciOperation(ci, 'Get')]: current ?? null }),
        decision: { retry: false, reason: `${ci} has no Update method` },
        code: 'PS_CI_NO_UPDATE',
        hint: `Make the same change in PeopleSoft (e.g. a PO change order), then replay this record: it resolves once PeopleSoft holds the values JAGGAER has.`,
      });
    },
  };
}
export type PeopleSoftReads = ReturnType<typeof peopleSoftReads>;
