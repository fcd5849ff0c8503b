import { randomBytes } from 'node:crypto';
import { type TestServices } from './global-setup';

export function testServices(): TestServices {
  const raw = process.env.MLC_TEST_SERVICES;
  if (!raw) throw new Error('MLC_TEST_SERVICES is not set: run tests through jest (npm test), whose global setup starts Temporal and PostgreSQL');
  return JSON.parse(raw) as TestServices;
}

/** A fresh random master key per test file: tests never share or hard-code a credential key. */
export function testMasterKey(): string {
  return `test:${randomBytes(32).toString('base64')}`;
}
