import { randomBytes } from 'node:crypto';
import { type TestServices } from './global-setup';

export function testServices(): TestServices {
  const raw = process.env.MLC_TEST_SERVICES;
  if (!raw) throw new Error('MLC_TEST_SERVICES is not set: run tests through jest (npm test), whose global setup starts Temporal and PostgreSQL');
  return JSON.parse(raw) as TestServices;
}

/**
 * A random master key per test file (jest loads this module once per file): tests never share or hard-code a key,
 * and every worker, client and API of one file agree on it, as the payload codec requires.
 */
const fileMasterKey = `test:${randomBytes(32).toString('base64')}`;
export function testMasterKey(): string {
  return fileMasterKey;
}
