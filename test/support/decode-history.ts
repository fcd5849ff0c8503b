import { type temporal } from '@temporalio/proto';
import { PayloadEncryptionCodec } from '../../runtime/payload-codec';

type Payload = { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null };

const isPayload = (v: unknown): v is Payload =>
  typeof v === 'object' && v !== null && 'metadata' in v && 'data' in v && (v as Payload).metadata?.encoding !== undefined;

/**
 * Decrypts every payload of a history in place (inputs, results, signals, failure attributes), so a history recorded
 * under a test's random master key replays under any key: the replayer's codec passes unencrypted payloads through.
 */
export async function decodeHistoryPayloads(history: temporal.api.history.v1.IHistory, masterKey: string): Promise<void> {
  const codec = new PayloadEncryptionCodec(masterKey);
  const visit = async (node: unknown): Promise<void> => {
    if (Array.isArray(node)) {
      for (const item of node) await visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null || node instanceof Uint8Array) return;
    for (const [key, value] of Object.entries(node)) {
      if (isPayload(value)) {
        const [plain] = await codec.decode([value as never]);
        (node as Record<string, unknown>)[key] = plain;
      } else if (Array.isArray(value) && value.length > 0 && value.every(isPayload)) {
        (node as Record<string, unknown>)[key] = await codec.decode(value as never[]);
      } else {
        await visit(value);
      }
    }
  };
  await visit(history);
}
