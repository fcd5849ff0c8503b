import { scenarioTest } from './kit/scenario-test';
import { tenantIsolation } from './kit/tenant-isolation';

/** R9, short (`npm test`): one round of customer A's key over every /openapi.json route at customer B's connection. */
describe('R9 tenant isolation, short', () => {
  scenarioTest("A's API key sees and changes nothing of B's over every route", { scenario: 'R9 tenant isolation', pair: 'API' }, () => tenantIsolation({ rounds: 1, records: 3 }), 300_000);
});
