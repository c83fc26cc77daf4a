/**
 * The Reflect metadata API that @peculiar/x509 2.x needs, from `reflect-metadata` itself.
 *
 * @peculiar/x509 depends on tsyringe, which throws at import time unless `Reflect.getMetadata`
 * exists ("tsyringe requires a reflect polyfill"). This module must be imported before
 * `@peculiar/x509` (certificate.ts and x509-lib.ts do so).
 *
 * wsseq installs no partial shim of its own: `reflect-metadata` is the complete, standard
 * implementation, and it shares one metadata registry with any other copy of it the
 * application loads (before or after wsseq), so NestJS, TypeORM or Inversify keep working.
 * @internal
 */
import 'reflect-metadata';

export {};
