import { FuzzWorld, histogramLine } from '../api/api-fuzz-world';

/** The long fuzz run (`npm run test:faults`): 10,000 generated requests against every route of /openapi.json. */
const RUNS = Number(process.env.MLC_FUZZ_RUNS ?? 10_000);

describe('every route of /openapi.json under 10,000 generated hostile requests', () => {
  const world = new FuzzWorld();
  beforeAll(() => world.open('api-fuzz-long'), 180_000);
  afterAll(() => world.close());

  it(`answers ${RUNS} generated requests without a 5xx, every 4xx with the error shape`, async () => {
    const result = await world.run(RUNS);
    process.stdout.write(histogramLine('api fuzz (test:faults)', result));
    expect(result.failures).toEqual([]);
    expect(result.requests).toBe(RUNS);
  }, 1_800_000);
});
