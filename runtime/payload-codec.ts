import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { type DataConverter, METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { deriveKey, parseKeyring } from '../db/credential-cipher';

/** Pass to bundleWorkflowCode as well: a prebuilt bundle carries its own failure converter. */
export const FAILURE_CONVERTER_PATH = path.resolve(__dirname, 'failure-converter.ts');
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for every Temporal payload (workflow and activity inputs and results, signals, updates, queries,
 * memos, failure messages): the server, its database and anyone with UI access see ciphertext, never business data.
 * The whole Payload (metadata + data) is serialised and sealed, so even the original encoding is hidden; the outer
 * payload carries `encoding: binary/encrypted` and the key id. Keys are derived from MLC_MASTER_KEY (HKDF, one per
 * kid), never the credential keys themselves: the first kid encrypts, every listed kid decrypts, so the master key
 * rotates the same way for both. Payloads without our encoding pass through decode untouched: histories written
 * before encryption (and the recorded test histories) still replay.
 * https://docs.temporal.io/production-deployment/data-encryption
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly keys = new Map<string, Buffer>();
  private readonly activeKeyId: string;

  constructor(masterKeySpec: string) {
    const ring = parseKeyring(masterKeySpec);
    for (const [kid, key] of ring.keys) {
      this.keys.set(kid, deriveKey(key, 'temporal-payloads/v1'));
    }
    this.activeKeyId = ring.activeKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.activeKeyId) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() !== ENCRYPTED_ENCODING) return payload;
      const kid = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const key = this.keys.get(kid);
      if (!key) throw new Error(`payload was encrypted with key "${kid}", which MLC_MASTER_KEY no longer lists: add it back (after the new key) to read this history`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new Error(`payload could not be decrypted with key "${kid}" (wrong key or tampered history)`);
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * The data converter of every worker and client: payloads sealed by the codec above, and failure messages and stack
 * traces moved into the (sealed) encoded attributes, since an error text can name a voucher or a vendor.
 */
export function encryptedDataConverter(masterKeySpec: string): DataConverter {
  return {
    payloadCodecs: [new PayloadEncryptionCodec(masterKeySpec)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
