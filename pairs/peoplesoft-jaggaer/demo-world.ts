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

/** PeopleSoft demo GL accounts (the simulator seeds 600010, 600020, ...) and one JAGGAER-only code the accountMap maps. */
const DEMO_JAGGAER_CODE = 'OFFICE-J';
const DEMO_ACCOUNT_CODES = ['600010', '600020', DEMO_JAGGAER_CODE];

/**
 * The pair's demo (`npm start`, the conformance suite): a fresh integration client in the JAGGAER simulator, a few
 * suppliers, approved POs and invoices of its own with lines coded to accounts, and the PeopleSoft simulator's demo
 * data (its GL accounts become JAGGAER account codes first), polled every minute.
 */
export const connectDemo: PairDemo['connect'] = async (env) => {
  const url = env.simulators.jaggaer!;
  const admin = new JaggaerSimAdmin(url);
  const client = await admin.registerClient();
  const world = await admin.seed({ suppliers: 3 });
  // A code keyed in JAGGAER by hand, mapped to its PeopleSoft ACCOUNT by the connection's accountMap.
  // (once per simulator: the demo may connect to the same one more than once)
  if (!(await admin.records('accounts')).some((a) => a.code === DEMO_JAGGAER_CODE)) await admin.addAccount({ code: DEMO_JAGGAER_CODE, description: 'Office supplies (JAGGAER)' });
  for (const [i, supplierNumber] of world.supplierNumbers.entries()) {
    const lines = [{ description: `Demo part ${i + 1}`, quantity: 2, unitPrice: 12.5, accountCode: DEMO_ACCOUNT_CODES[i % DEMO_ACCOUNT_CODES.length] }];
    const po = await admin.addPurchaseOrder({ supplierNumber, lines });
    const poNumber = String((po.header as Record<string, unknown>).purchaseOrderNumber);
    await admin.addInvoice({ supplierNumber, purchaseOrderNumber: poNumber, total: 25, lines });
  }
  return {
    config: { ...pairConfig(env.simulators.peoplesoft!, url), schedule: '@every 60s', accountMap: { [DEMO_JAGGAER_CODE]: '600030' } } as Record<string, unknown>,
    credentials: {
      peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD },
      jaggaer: { method: 'client_credentials', clientId: client.clientId, clientSecret: client.clientSecret },
    },
  };
};

export const demoSimulators = { peoplesoft: startPeopleSoftSimulator, jaggaer: startJaggaerSimulator };
