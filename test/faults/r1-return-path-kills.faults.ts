import { FULL_SIZES } from './kit/full-sizes';
import { describePairFaults } from './kit/pair-suite';

/**
 * Part of the full fault suite (`npm run test:faults`, kit/full-sizes.ts): R1's second half, worker SIGKILLs during
 * webhook-driven return-path writes, on every pair whose fault fixture declares a return path (kit/return-path-kills.ts).
 */
describePairFaults('fault scenarios, full: R1r worker SIGKILLs on the return path', { r1r: FULL_SIZES.r1r }, { requireEveryPair: true });
