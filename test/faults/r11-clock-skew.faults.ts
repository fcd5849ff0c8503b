import { FULL_SIZES } from './kit/full-sizes';
import { describePairFaults } from './kit/pair-suite';

/** Part of the full fault suite (`npm run test:faults`, kit/full-sizes.ts): R11 clock skew, on every pair listed in pairs/index.ts. */
describePairFaults('fault scenarios, full: R11 clock skew', { r11: FULL_SIZES.r11 }, { requireEveryPair: true });
