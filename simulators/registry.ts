import type { RunningSimulator, SimulatorOptions } from './kit/types';
import { startPeopleSoftSimulator } from './peoplesoft';
import { startAsanaSimulator } from './asana';
import { startJaggaerSimulator } from './jaggaer';

/** Every simulator that exists so far; `npm start` and `npm run sim` read this list. */
export const simulatorRegistry = {
  peoplesoft: startPeopleSoftSimulator,
  asana: startAsanaSimulator,
  jaggaer: startJaggaerSimulator,
} satisfies Record<string, (opts: SimulatorOptions) => Promise<RunningSimulator>>;
export type PartnerName = keyof typeof simulatorRegistry;
