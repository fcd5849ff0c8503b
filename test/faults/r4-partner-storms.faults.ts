import { FULL_SIZES } from './kit/full-sizes';
import { describePairFaults } from './kit/pair-suite';

/** Part of the full fault suite (`npm run test:faults`, kit/full-sizes.ts): R4 partner storms, on every pair listed in pairs/index.ts. */
describePairFaults('fault scenarios, full: R4 partner storms', { r4: FULL_SIZES.r4 }, { requireEveryPair: true });
