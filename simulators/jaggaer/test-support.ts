import { startJaggaerSimulator, type RunningJaggaerSimulator } from '.';

type Settings = Parameters<RunningJaggaerSimulator['admin']['setSettings']>[0];

/**
 * For a test file: one in-process simulator on a free port, closed after the file; before each test its state is
 * reset, faults cleared and `settings` applied, then `beforeEachTest` runs (e.g. take a token). `bind` receives the
 * simulator once it listens, for the file's own variable.
 */
export function jaggaerSimulatorPerFile(
  bind: (sim: RunningJaggaerSimulator) => void,
  opts: { settings?: Settings; clearRequests?: boolean; beforeEachTest?: (sim: RunningJaggaerSimulator) => Promise<void> } = {},
): void {
  let sim: RunningJaggaerSimulator | undefined;
  beforeAll(async () => {
    sim = await startJaggaerSimulator({ port: 0 });
    bind(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    await sim!.admin.reset();
    await sim!.admin.setFaults({});
    if (opts.settings) await sim!.admin.setSettings(opts.settings);
    if (opts.clearRequests) await sim!.admin.clearRequests();
    await opts.beforeEachTest?.(sim!);
  });
}
