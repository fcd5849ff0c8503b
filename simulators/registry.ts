import { pairs } from '../pairs';
import type { RunningSimulator, SimulatorOptions } from './kit/types';

type StartSimulator = (opts: SimulatorOptions) => Promise<RunningSimulator>;

/**
 * Every simulator the declared pairs need (each pair's demo names its own), once each; `npm start` and `npm run sim`
 * read this. Two pairs naming the same partner must mean the same simulator.
 */
export const simulatorRegistry: Record<string, StartSimulator> = {};
for (const pair of pairs) {
  for (const [name, start] of Object.entries(pair.demo.simulators)) {
    const known = simulatorRegistry[name];
    if (known && known !== start) throw new Error(`pairs declare two different "${name}" simulators`);
    simulatorRegistry[name] = start;
  }
}
export type PartnerName = string;
