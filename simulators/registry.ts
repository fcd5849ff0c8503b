import type { RunningSimulator, SimulatorOptions } from './kit/types';
import { startPeopleSoftSimulator } from './peoplesoft';
import { startAsanaSimulator } from './asana';
import { startJiraSimulator } from './jira';

/** Every simulator that exists so far; `npm start` and `npm run sim` read this list. */
export const simulatorRegistry = {
  peoplesoft: startPeopleSoftSimulator,
  asana: startAsanaSimulator,
  jira: startJiraSimulator,
} satisfies Record<string, (opts: SimulatorOptions) => Promise<RunningSimulator>>;
export type PartnerName = keyof typeof simulatorRegistry;
