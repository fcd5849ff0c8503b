import { type PairDemo } from '../../pairs/types';
import { type RunningSimulator, type SimulatorOptions } from '../../simulators/kit/types';

/**
 * Starts every simulator a pair's demo names (`pair.demo.simulators`) on free ports, appending each to `running` as
 * soon as it is up, so the caller's cleanup closes what started even when a later one fails. Returns their base URLs
 * by name: what `pair.demo.connect` takes.
 */
export async function startDemoSimulators(simulators: PairDemo['simulators'], running: RunningSimulator[], opts: Omit<SimulatorOptions, 'port'> = {}): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const [name, start] of Object.entries(simulators)) {
    const sim = await start({ ...opts, port: 0 });
    running.push(sim);
    urls[name] = sim.baseUrl;
  }
  return urls;
}
