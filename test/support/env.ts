import { randomBytes } from 'node:crypto';
import { type TestServices } from './global-setup';

/** The run's services from global-setup, or undefined outside a jest run that started them. */
export function optionalTestServices(): TestServices | undefined {
  const raw = process.env.MLC_TEST_SERVICES;
  return raw ? (JSON.parse(raw) as TestServices) : undefined;
}

export function testServices(): TestServices {
  const services = optionalTestServices();
  if (!services) throw new Error('MLC_TEST_SERVICES is not set: run tests through jest (npm test), whose global setup starts Temporal and PostgreSQL');
  return services;
}

/**
 * A random master key per test file (jest loads this module once per file): tests never share or hard-code a key,
 * and every worker, client and API of one file agree on it, as the payload codec requires.
 */
const fileMasterKey = `test:${randomBytes(32).toString('base64')}`;
export function testMasterKey(): string {
  return fileMasterKey;
}
