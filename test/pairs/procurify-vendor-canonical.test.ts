import { joinVendorName, neutralFromPeopleSoft, neutralFromProcurify, splitVendorName } from '../../pairs/procurify-peoplesoft/vendor-canonical';
import { procurifyVendorIdOf, procurifyVendorKey, psVendorIdOfKey, psVendorKey } from '../../pairs/procurify-peoplesoft/vendor-ids';

/**
 * The side-neutral vendor both vendor flows share: what we write to one side must read back as the same neutral form
 * on the other, or the engine's echo guard would take our own write for an edit and send it back.
 */
describe('vendor canonical form', () => {
  it('splits a long Procurify name into NAME1/NAME2 at a space, within 40 characters each', () => {
    const name = 'Northwind Industrial Fasteners and Supply Company of Ohio';
    const { NAME1, NAME2 } = splitVendorName(name);
    expect(NAME1).toBe('Northwind Industrial Fasteners and');
    expect(NAME2).toBe('Supply Company of Ohio');
    expect(joinVendorName(NAME1, NAME2)).toBe(name);
    expect(splitVendorName('Acme')).toEqual({ NAME1: 'Acme' });
    expect(splitVendorName('X'.repeat(45))).toEqual({ NAME1: 'X'.repeat(40), NAME2: 'X'.repeat(5) });
  });

  it('reads back what each flow wrote as the neutral form it came from', () => {
    for (const name of ['Acme', 'Northwind Industrial Fasteners and Supply Company of Ohio', `${'Long'.repeat(15)} Tail`]) {
      const procurify = { name, active: true };
      const written = { ...splitVendorName(name), VENDOR_STATUS: 'A' };
      expect(neutralFromPeopleSoft(written)).toEqual(neutralFromProcurify(procurify));
    }
    // PeopleSoft -> Procurify: NAME1 + NAME2 joined, read back from Procurify as the same name.
    const row = { NAME1: 'ACME CORP', NAME2: 'WEST DIVISION', VENDOR_STATUS: 'I' };
    expect(neutralFromProcurify({ name: neutralFromPeopleSoft(row).name, active: false })).toEqual(neutralFromPeopleSoft(row));
    expect(neutralFromPeopleSoft(row)).toEqual({ name: 'ACME CORP WEST DIVISION', active: false });
  });

  it("keys each vendor flow's target by the other flow's source key, and reads back the ids in them", () => {
    expect(procurifyVendorIdOf(procurifyVendorKey(42))).toBe(42);
    // Links written before the two flows shared keys hold the bare Procurify id.
    expect(procurifyVendorIdOf('42')).toBe(42);
    expect(() => procurifyVendorIdOf('vendor:SHARE/PRCF000042')).toThrow('not a Procurify vendor id or key: "vendor:SHARE/PRCF000042"');
    expect(psVendorIdOfKey(psVendorKey('SHARE', 'PRCF000042'))).toBe('PRCF000042');
    expect(psVendorIdOfKey('SHARE/PRCF000042')).toBeUndefined();
  });
});
