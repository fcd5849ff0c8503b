import { describeApiFuzzPerPair } from './kit/api-fuzz-pairs';

/** R7, full (`npm run test:faults`): 10,000 generated requests at every route of /openapi.json, shared out over the pairs, each aimed at its own connections. */
const TOTAL = Number(process.env.MLC_FUZZ_RUNS ?? 10_000);

describeApiFuzzPerPair('R7 API fuzz, full: every route of /openapi.json aimed at each pair', TOTAL, 1_800_000);
