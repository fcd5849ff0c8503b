import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { PayloadEncryptionCodec } from './payload-codec';

const key = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString();

describe('PayloadEncryptionCodec', () => {
  const k1 = key('k1');
  const k2 = key('k2');
  const value = { voucherId: 'V-000042', vendor: 'Acme Supplies', amount: 1234.5 };
  const input = defaultPayloadConverter.toPayload(value);

  it('seals the whole payload (metadata included) under the first key and opens it again', async () => {
    const [sealed] = await new PayloadEncryptionCodec(k1).encode([input]);
    expect(text(sealed!.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(sealed!.metadata!['encryption-key-id'])).toBe('k1');
    expect(text(sealed!.data)).not.toContain('Acme');
    expect(text(sealed!.data)).not.toContain('json/plain');
    const [opened] = await new PayloadEncryptionCodec(k1).decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(value);
  });

  it('uses a fresh IV per payload: the same value never encrypts to the same bytes', async () => {
    const codec = new PayloadEncryptionCodec(k1);
    const [a, b] = await codec.encode([input, input]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: a new first key encrypts, the old one still decrypts; a dropped key is named in the error', async () => {
    const [old] = await new PayloadEncryptionCodec(k1).encode([input]);
    const rotated = new PayloadEncryptionCodec(`${k2},${k1}`);
    const [fresh] = await rotated.encode([input]);
    expect(text(fresh!.metadata!['encryption-key-id'])).toBe('k2');
    const opened = await rotated.decode([old!, fresh!]);
    expect(opened.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([value, value]);
    await expect(new PayloadEncryptionCodec(k2).decode([old!])).rejects.toThrow(/key "k1", which MLC_MASTER_KEY no longer lists/);
  });

  it('derives its keys: the same kid with other key material cannot open it, and the error holds no key bytes', async () => {
    const [sealed] = await new PayloadEncryptionCodec(k1).encode([input]);
    const other = key('k1');
    const err = await new PayloadEncryptionCodec(other).decode([sealed!]).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/could not be decrypted with key "k1"/);
    expect((err as Error).message).not.toContain(other.slice(3, 20));
  });

  it('passes payloads it did not encrypt through untouched (histories from before encryption still replay)', async () => {
    const codec = new PayloadEncryptionCodec(k1);
    expect(await codec.decode([input])).toEqual([input]);
  });
});
