import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { type AppConfig } from '../core/config';
import { encryptedDataConverter } from './payload-codec';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer } } | boolean;
  apiKey?: string;
}

/** Where Temporal is: a cluster or Temporal Cloud (TEMPORAL_ADDRESS, TLS, API key) or the local dev server. */
export function temporalTarget(config: AppConfig, devAddress?: string): TemporalTarget {
  const address = config.TEMPORAL_ADDRESS ?? devAddress ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
  const mtls =
    config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH
      ? { clientCertPair: { crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH), key: readFileSync(config.TEMPORAL_TLS_KEY_PATH) } }
      : undefined;
  return {
    address,
    namespace: config.TEMPORAL_NAMESPACE,
    // An API key implies TLS (Temporal Cloud); mTLS certs imply it too.
    tls: mtls ?? (config.TEMPORAL_TLS || Boolean(config.TEMPORAL_API_KEY)),
    apiKey: config.TEMPORAL_API_KEY,
  };
}

/** A client that reads and writes payloads encrypted with keys derived from `masterKey`, as the workers do. */
export async function connectClient(target: TemporalTarget, masterKey: string): Promise<Client> {
  const connection = await Connection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
  return new Client({ connection, namespace: target.namespace, dataConverter: encryptedDataConverter(masterKey) });
}
