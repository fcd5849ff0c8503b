import { scenarioTest } from './kit/scenario-test';
import { tenantIsolation } from './kit/tenant-isolation';

/** R9, full (`npm run test:faults`): ten rounds over every /openapi.json route, B's connection with more history. */
describe('R9 tenant isolation, full', () => {
  scenarioTest("A's API key sees and changes nothing of B's over every route, ten rounds", { scenario: 'R9 tenant isolation', pair: 'API' }, () => tenantIsolation({ rounds: 10, records: 25 }), 900_000);
});
