// Every workflow type the worker registers. Deterministic code only (lint enforces it).
export { peopleSoftAsanaSync } from './peoplesoft-asana';
export { peopleSoftJaggaerSync } from './peoplesoft-jaggaer';
