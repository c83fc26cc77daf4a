/**
 * The smallest Reflect metadata shim that @peculiar/x509 2.x needs.
 *
 * @peculiar/x509 depends on tsyringe, which throws at import time unless `Reflect.getMetadata`
 * exists ("tsyringe requires a reflect polyfill"). This module must be imported before
 * `@peculiar/x509` (certificate.ts and x509-lib.ts do so). It installs `defineMetadata`,
 * `getOwnMetadata`, `getMetadata` and `metadata` only when they are missing, so a real
 * polyfill (`reflect-metadata`, `@abraham/reflection`) loaded earlier takes precedence.
 *
 * This is the one deliberate import-time side effect in wsseq: without it the X.509 library
 * cannot load at all.
 * @internal
 */

type MetadataMap = Map<unknown, unknown>;

const store = new WeakMap<object, Map<PropertyKey | undefined, MetadataMap>>();

function ownMap(target: object, property: PropertyKey | undefined, create: boolean) {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let map = byProperty.get(property);
  if (!map && create) {
    map = new Map();
    byProperty.set(property, map);
  }
  return map;
}

function defineMetadata(key: unknown, value: unknown, target: object, property?: PropertyKey) {
  ownMap(target, property, true)?.set(key, value);
}

function getOwnMetadata(key: unknown, target: object, property?: PropertyKey): unknown {
  return ownMap(target, property, false)?.get(key);
}

function getMetadata(key: unknown, target: object, property?: PropertyKey): unknown {
  for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
    const map = ownMap(t, property, false);
    if (map?.has(key)) return map.get(key);
  }
  return undefined;
}

function metadata(key: unknown, value: unknown) {
  return (target: object, property?: PropertyKey): void => {
    defineMetadata(key, value, target, property);
  };
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = defineMetadata;
  reflect.getOwnMetadata = getOwnMetadata;
  reflect.getMetadata = getMetadata;
  reflect.metadata = metadata;
}

export {};
