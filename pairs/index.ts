import { peopleSoftAsana } from './peoplesoft-asana';
import { peopleSoftJira } from './peoplesoft-jira';
import { procurifyPeopleSoft } from './procurify-peoplesoft';
import { peopleSoftJaggaer } from './peoplesoft-jaggaer';
import { peopleSoftProcore } from './peoplesoft-procore';
import { type PairDefinition } from './types';

/**
 * Every sync pair this build ships, listed once. Everything that knows about pairs (API schemas and controls, the
 * worker's flow registry, webhook routes, housekeeping, `npm start`'s demo and simulators, the test harnesses and
 * the conformance suite) reads this list. Adding a pair: its folder, one line here, and its one-line workflow file.
 */
export const pairs: readonly PairDefinition[] = [
  peopleSoftAsana,
  peopleSoftJira,
  procurifyPeopleSoft,
  peopleSoftJaggaer,
  peopleSoftProcore,
];

export type { PairDefinition } from './types';
