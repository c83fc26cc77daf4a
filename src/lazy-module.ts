/**
 * Load a CommonJS dependency on first use instead of at import time, so that importing
 * wsseq's main entry does not load node-forge (PKCS#12) or jsonwebtoken (issued tokens) for a
 * caller that never reads a PFX or a token.
 * @internal
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * A stand-in for the module `specifier` that requires it on the first property read. Use it
 * only in the one module that wraps that library, typed with a type-only import:
 * `const forge = lazyModule<typeof Forge>('node-forge')`.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the module's type, as with `require(...) as T`
export function lazyModule<T extends object>(specifier: string): T {
  let loaded: object | undefined;
  const load = (): object => (loaded ??= requireFromHere(specifier) as object);
  return new Proxy({} as T, {
    get: (_target, property) => Reflect.get(load(), property) as unknown,
    has: (_target, property) => Reflect.has(load(), property),
  });
}
