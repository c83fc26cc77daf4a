/**
 * Table-driven checks of enumerated and typed options: for each option, a misspelling (and a
 * wrong case, and a non-string) is an InvalidOptionError naming the option and its allowed
 * values, and every allowed value is accepted.
 */
import { expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/policy/check-options.js';

export interface EnumOption {
  /** The dotted path the error must name. */
  readonly option: string;
  readonly allowed: readonly string[];
  /** Build the object with this value for the option. */
  readonly build: (value: unknown) => unknown;
}

export interface TypedOption {
  readonly option: string;
  /** Values that must be refused. */
  readonly bad: readonly unknown[];
  /** Values that must be accepted. */
  readonly good: readonly unknown[];
  readonly build: (value: unknown) => unknown;
}

export function refusal(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidOptionError) return err;
    throw err;
  }
  throw new Error('expected an InvalidOptionError, nothing was thrown');
}

function misspellings(allowed: readonly string[]): unknown[] {
  const first = allowed[0] ?? 'x';
  const other = first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase();
  const wrongCase = other === first ? [] : [other];
  return [`${first}x`, ...wrongCase, ` ${first}`, '', 1, true, null, {}];
}

export function testEnumOptions(cases: readonly EnumOption[]): void {
  for (const c of cases) {
    it(`${c.option}: misspellings refused, naming the option and ${c.allowed.length} allowed values`, () => {
      for (const bad of misspellings(c.allowed)) {
        const err = refusal(() => c.build(bad));
        expect(err).toBeInstanceOf(TypeError);
        expect(err.option).toBe(c.option);
        expect(err.allowed).toEqual(c.allowed);
      }
    });
    it(`${c.option}: every allowed value accepted`, () => {
      for (const value of c.allowed) expect(() => c.build(value)).not.toThrow();
    });
  }
}

export function testTypedOptions(cases: readonly TypedOption[]): void {
  for (const c of cases) {
    it(`${c.option}: ${c.bad.length} bad values refused, ${c.good.length} good accepted`, () => {
      for (const bad of c.bad) {
        const err = refusal(() => c.build(bad));
        expect(err.option).toBe(c.option);
      }
      for (const good of c.good) expect(() => c.build(good)).not.toThrow();
    });
  }
}

export const NOT_BOOLEAN: readonly unknown[] = ['true', 1, 0, null, 'false'];
export const NOT_NON_NEGATIVE: readonly unknown[] = [-1, Number.NaN, Infinity, '10', null];
export const NOT_POSITIVE: readonly unknown[] = [0, ...NOT_NON_NEGATIVE];
