import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealed {
  keyId: string;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
}

/**
 * AES-256-GCM with a random 96-bit IV per value. Keys come from MLC_MASTER_KEY as `kid:base64` entries; the first
 * encrypts, all decrypt, so a key can rotate without downtime (re-encrypt moves rows to the newest key).
 */
export class CredentialCipher {
  private readonly keys: Map<string, Buffer>;
  readonly activeKeyId: string;

  constructor(masterKeySpec: string) {
    ({ keys: this.keys, activeKeyId: this.activeKeyId } = parseKeyring(masterKeySpec));
  }

  seal(plaintext: string, aad: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    // The AAD binds a ciphertext to its row (connection + side): a row copied elsewhere does not decrypt.
    cipher.setAAD(Buffer.from(aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.activeKeyId, iv, authTag: cipher.getAuthTag(), ciphertext };
  }

  open(sealed: Sealed, aad: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`credentials were encrypted with key "${sealed.keyId}", which MLC_MASTER_KEY no longer lists`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(sealed.authTag);
    try {
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`credentials could not be decrypted with key "${sealed.keyId}" (wrong key or tampered row)`);
    }
  }
}

/** Parses MLC_MASTER_KEY: `kid:base64(32 bytes)` entries, comma-separated; the first one encrypts. */
export function parseKeyring(masterKeySpec: string): { keys: Map<string, Buffer>; activeKeyId: string } {
  const entries = masterKeySpec.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('MLC_MASTER_KEY is empty: set it to kid:base64(32 random bytes), e.g. k1:$(openssl rand -base64 32)');
  const keys = new Map<string, Buffer>();
  for (const entry of entries) {
    const sep = entry.indexOf(':');
    const kid = entry.slice(0, sep);
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (sep <= 0 || !/^[\w-]{1,32}$/.test(kid)) throw new Error('MLC_MASTER_KEY entries must look like kid:base64key (kid: letters, digits, - or _)');
    if (key.length !== 32) throw new Error(`MLC_MASTER_KEY key "${kid}" must decode to 32 bytes, got ${key.length}`);
    keys.set(kid, key);
  }
  return { keys, activeKeyId: entries[0]!.slice(0, entries[0]!.indexOf(':')) };
}

/** A 32-byte key for one other purpose (`info`), derived from a master key entry: no key serves two purposes. */
export function deriveKey(masterKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('ml-connector'), Buffer.from(info), 32));
}
