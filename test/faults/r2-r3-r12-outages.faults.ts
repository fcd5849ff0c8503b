import { FULL_SIZES } from './kit/full-sizes';
import { describePairFaults } from './kit/pair-suite';

/** Part of the full fault suite (`npm run test:faults`, kit/full-sizes.ts): R3 PostgreSQL, R2 Temporal and R12 partner outages, on every pair listed in pairs/index.ts. */
describePairFaults('fault scenarios, full: R3 PostgreSQL, R2 Temporal and R12 partner outages', { r3: FULL_SIZES.r3, r2: FULL_SIZES.r2, r12: FULL_SIZES.r12 }, { requireEveryPair: true });
