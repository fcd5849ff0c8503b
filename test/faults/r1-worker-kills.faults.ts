import { FULL_SIZES } from './kit/full-sizes';
import { describePairFaults } from './kit/pair-suite';

/** Part of the full fault suite (`npm run test:faults`, kit/full-sizes.ts): R1 worker SIGKILLs, on every pair listed in pairs/index.ts. */
describePairFaults('fault scenarios, full: R1 worker SIGKILLs', { r1: FULL_SIZES.r1 }, { requireEveryPair: true });
