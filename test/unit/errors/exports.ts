// What the error tests use: the public API, plus the internal shorthand the pipeline uses.
export * from 'wsseq';
export { reject } from '../../../src/errors.js';
