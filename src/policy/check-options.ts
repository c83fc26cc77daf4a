/**
 * Construction-time checks of caller options: one small set of checkers that every public
 * constructor and factory calls, so that a misspelled value or key is a TypeError when the
 * object is built, never a silently weaker behaviour on the first message.
 *
 * An {@link OptionSpec} lists a checker for every key of an options type (the compiler refuses
 * a spec that forgets one), and {@link checkOptions} refuses keys the spec does not know. The
 * allowed values of an enumeration come from the constants the code itself uses
 * ({@link enumValues} refuses, at compile time, a list that misses a member of the type).
 */
import { KeyObject } from 'node:crypto';

/**
 * Caller misuse of an option: a `TypeError` that names the option (a dotted path such as
 * `policy.protectionOrder`) and, for an enumeration or an unknown key, the allowed values.
 */
export class InvalidOptionError extends TypeError {
  /** The option, as a dotted path from the argument (`policy.protectionLevel`). */
  readonly option: string;
  /** The values or keys that would have been accepted, where there is a closed list. */
  readonly allowed: readonly string[] | undefined;

  constructor(option: string, detail: string, allowed?: readonly string[]) {
    super(`${option} ${detail}`);
    this.name = 'InvalidOptionError';
    this.option = option;
    this.allowed = allowed;
  }
}

/** Checks one value; `path` names it in the error. */
export type Checker = (value: unknown, path: string) => void;

/** A checker for every key of `T` (optional keys included). */
export type OptionSpec<T> = { readonly [K in keyof Required<T>]: Checker };

type Exhaustive<T extends string, A extends readonly T[]> = [T] extends [A[number]] ? A : never;

/**
 * The values of a string union as a runtime list, checked by the compiler to name every member:
 * `enumValues<ProtectionLevel>()(['None', 'Sign', 'EncryptAndSign'])`.
 */
export function enumValues<T extends string>() {
  return <const A extends readonly T[]>(values: A & Exhaustive<T, A>): readonly T[] =>
    Object.freeze([...values]);
}

/** A caller's value as an error message names it (never its contents beyond a string). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'symbol' || typeof value === 'bigint') return value.toString();
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

function quoteAll(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** Absent (undefined) is always accepted: options are optional unless {@link required}. */
function optional(check: (value: unknown, path: string) => void): Checker {
  return (value, path) => {
    if (value !== undefined) check(value, path);
  };
}

/** One of `allowed` (a string), compared exactly: `'EncryptandSign'` is refused. */
export function oneOf(allowed: readonly string[]): Checker {
  return optional((value, path) => {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw new InvalidOptionError(
        path,
        `must be one of ${quoteAll(allowed)}; got ${describe(value)}`,
        allowed,
      );
    }
  });
}

/** `true` or `false`, not a truthy string. */
export const isBoolean: Checker = optional((value, path) => {
  if (typeof value !== 'boolean') {
    throw new InvalidOptionError(path, `must be true or false; got ${describe(value)}`);
  }
});

/** A string (non-empty unless `allowEmpty`). */
export function isString(allowEmpty = false): Checker {
  return optional((value, path) => {
    if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
      throw new InvalidOptionError(path, `must be a non-empty string; got ${describe(value)}`);
    }
  });
}

/** A function (a clock, a callback). */
export const isFunction: Checker = optional((value, path) => {
  if (typeof value !== 'function') {
    throw new InvalidOptionError(path, `must be a function; got ${describe(value)}`);
  }
});

export interface NumberRule {
  /** Default 0: the smallest value accepted. */
  readonly min?: number;
  /** Refuse `min` itself (a positive number when min is 0). */
  readonly exclusiveMin?: boolean;
  readonly integer?: boolean;
}

/** A finite number within `rule` (by default: finite and not negative). */
export function isNumber(rule: NumberRule = {}): Checker {
  const min = rule.min ?? 0;
  const what = [
    rule.integer === true ? 'an integer' : 'a finite number',
    rule.exclusiveMin === true ? `greater than ${min}` : `at least ${min}`,
  ].join(' ');
  return optional((value, path) => {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (rule.integer !== true || Number.isInteger(value)) &&
      (rule.exclusiveMin === true ? value > min : value >= min);
    if (!ok) throw new InvalidOptionError(path, `must be ${what}; got ${describe(value)}`);
  });
}

/** A private KeyObject (node:crypto). */
export const isPrivateKey: Checker = optional((value, path) => {
  if (!(value instanceof KeyObject) || value.type !== 'private') {
    throw new InvalidOptionError(path, `must be a private KeyObject; got ${describe(value)}`);
  }
});

/** An instance of a class such as TrustStore or Certificate: `test` is its instanceof. */
export function isInstance(name: string, test: (value: unknown) => boolean): Checker {
  return optional((value, path) => {
    if (!test(value)) {
      throw new InvalidOptionError(path, `must be a ${name}; got ${describe(value)}`);
    }
  });
}

/** An object with (at least) these methods: a plug-in such as a replay cache. */
export function hasMethods(...methods: readonly string[]): Checker {
  return optional((value, path) => {
    const ok =
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
    if (!ok) {
      throw new InvalidOptionError(
        path,
        `must be an object with the methods ${methods.join(', ')}; got ${describe(value)}`,
      );
    }
  });
}

/** An array whose every element passes `element`. */
export function arrayOf(element: Checker, rule: { readonly nonEmpty?: boolean } = {}): Checker {
  return optional((value, path) => {
    if (!Array.isArray(value)) {
      throw new InvalidOptionError(path, `must be an array; got ${describe(value)}`);
    }
    if (rule.nonEmpty === true && value.length === 0) {
      throw new InvalidOptionError(path, 'must not be empty');
    }
    value.forEach((v: unknown, i) => {
      if (v === undefined) throw new InvalidOptionError(`${path}[${i}]`, 'is undefined');
      element(v, `${path}[${i}]`);
    });
  });
}

/** Passes when any of `checks` passes; otherwise the first one's error. */
export function anyOf(...checks: readonly Checker[]): Checker {
  return optional((value, path) => {
    let first: unknown;
    for (const check of checks) {
      try {
        check(value, path);
        return;
      } catch (err) {
        first ??= err;
      }
    }
    throw first;
  });
}

/** Present: `undefined` is refused. */
export function required(check: Checker): Checker {
  return (value, path) => {
    if (value === undefined) throw new InvalidOptionError(path, 'is required');
    check(value, path);
  };
}

/** Anything (a value whose shape a later, specific check owns). */
export const isAny: Checker = () => undefined;

/** A nested options object checked against `spec` (unknown keys refused). */
export function isOptions<T>(spec: OptionSpec<T>): Checker {
  return optional((value, path) => {
    checkOptions<T>(value, path, spec);
  });
}

/**
 * An object carrying at least the fields of `spec`, each checked; other fields are the
 * caller's (a value such as a loaded key pair, not an options object).
 */
export function hasFields<T>(spec: OptionSpec<T>): Checker {
  return optional((value, path) => {
    checkOptions<T>(value, path, spec, { allowUnknownKeys: true });
  });
}

/**
 * Check an options object: a plain object whose every key is in `spec` and whose every value
 * passes its checker.
 * @throws InvalidOptionError (a TypeError) naming the first bad option.
 */
export function checkOptions<T>(
  value: unknown,
  path: string,
  spec: OptionSpec<T>,
  rule: { readonly allowUnknownKeys?: boolean } = {},
): asserts value is T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(path, `must be an options object; got ${describe(value)}`);
  }
  const known = Object.keys(spec);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (Object.hasOwn(spec, key)) continue;
    // Where other fields are the caller's, a key that looks like a misspelled option is
    // still refused (`keyRefernce`).
    const near = known.find((k) => looksLike(k, key));
    if (rule.allowUnknownKeys === true && near === undefined) continue;
    throw new InvalidOptionError(
      `${path}.${key}`,
      `is not a known option${near === undefined ? '' : ` (did you mean ${near}?)`} (known: ${known.join(', ')})`,
      known,
    );
  }
  for (const key of known) {
    const check = (spec as Record<string, Checker>)[key];
    check?.(record[key], `${path}.${key}`);
  }
}

/** Same letters ignoring case, or at most two edits apart (for names of 5 or more letters). */
function looksLike(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  if (Math.min(x.length, y.length) < 5 || Math.abs(x.length - y.length) > 2) return false;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return (previous[y.length] ?? 0) <= 2;
}
