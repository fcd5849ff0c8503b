import type { RunningSimulator, SimulatorOptions } from './kit/types';
import { startPeopleSoftSimulator } from './peoplesoft';
import { startAsanaSimulator } from './asana';
import { startProcurifySimulator } from './procurify';

/** Every simulator that exists so far; `npm start` and `npm run sim` read this list. */
export const simulatorRegistry = {
  peoplesoft: startPeopleSoftSimulator,
  asana: startAsanaSimulator,
  procurify: startProcurifySimulator,
} satisfies Record<string, (opts: SimulatorOptions) => Promise<RunningSimulator>>;
export type PartnerName = keyof typeof simulatorRegistry;
