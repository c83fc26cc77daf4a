/**
 * The one entry point to @peculiar/x509 inside wsseq: it loads the Reflect shim first (the
 * library cannot load without it) and re-exports the library unchanged.
 * @internal
 */
import './reflect-polyfill.js';

export * from '@peculiar/x509';
