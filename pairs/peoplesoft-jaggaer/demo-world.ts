import { startJaggaerSimulator } from '../../simulators/jaggaer';
import { JaggaerSimAdmin } from '../../simulators/jaggaer/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { type PairDemo } from '../types';
import { type PeopleSoftJaggaerConfigInput } from './config';

const DAY = 86_400_000;

/** A PeopleSoft <-> JAGGAER connection over the simulators: what a customer's config looks like. */
export function pairConfig(psUrl: string, jaggaerUrl: string): PeopleSoftJaggaerConfigInput {
  return {
    peoplesoft: { baseUrl: psUrl, node: 'PSFT_EP', vendorSetId: 'SHARE', defaultBusinessUnit: 'US001', rowCap: 500, maxWindowMs: 365 * DAY, timeoutMs: 20_000 },
    jaggaer: { instanceUrl: jaggaerUrl },
    schedule: '@every 3600s',
    initialFrom: new Date(Date.now() - 100 * DAY).toISOString(),
  };
}

/**
 * The pair's demo (`npm start`, the conformance suite): a fresh integration client in the JAGGAER simulator, a few
 * suppliers, approved POs and invoices of its own, and the PeopleSoft simulator's demo data, polled every minute.
 */
export const connectDemo: PairDemo['connect'] = async (env) => {
  const url = env.simulators.jaggaer!;
  const admin = new JaggaerSimAdmin(url);
  const client = await admin.registerClient();
  const world = await admin.seed({ suppliers: 3 });
  for (const [i, supplierNumber] of world.supplierNumbers.entries()) {
    const po = await admin.addPurchaseOrder({ supplierNumber, lines: [{ description: `Demo part ${i + 1}`, quantity: 2, unitPrice: 12.5 }] });
    const poNumber = String((po.header as Record<string, unknown>).purchaseOrderNumber);
    await admin.addInvoice({ supplierNumber, purchaseOrderNumber: poNumber, total: 25 });
  }
  return {
    config: { ...pairConfig(env.simulators.peoplesoft!, url), schedule: '@every 60s' } as Record<string, unknown>,
    credentials: {
      peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD },
      jaggaer: { method: 'client_credentials', clientId: client.clientId, clientSecret: client.clientSecret },
    },
  };
};

export const demoSimulators = { peoplesoft: startPeopleSoftSimulator, jaggaer: startJaggaerSimulator };
