import { FULL_SIZES } from './kit/full-sizes';
import { describePairFaults } from './kit/pair-suite';

/** Part of the full fault suite (`npm run test:faults`, kit/full-sizes.ts): R5 permanent refusals, R8 canary credentials, R10 token expiry, on every pair listed in pairs/index.ts. */
describePairFaults('fault scenarios, full: R5 permanent refusals, R8 canary credentials, R10 token expiry', { r5: FULL_SIZES.r5, r8: FULL_SIZES.r8, r10: FULL_SIZES.r10 }, { requireEveryPair: true });
