// Every workflow type the worker registers. Deterministic code only (lint enforces it).
export { peopleSoftAsanaSync } from './peoplesoft-asana';
export { peopleSoftJiraSync } from './peoplesoft-jira';
export { procurifyPeopleSoftSync } from './procurify-peoplesoft';
export { peopleSoftJaggaerSync } from './peoplesoft-jaggaer';
export { peopleSoftProcoreSync } from './peoplesoft-procore';
