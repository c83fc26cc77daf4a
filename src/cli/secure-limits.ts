/**
 * The limits of `wsseq secure` on its input (`policy.limits`): flags to raise them for a large
 * envelope, and the hint a refused input gets when a limit was what refused it.
 */
import { isWsseqError } from '../index.js';
import type { ParseLimits } from '../xml/parse.js';
import { UsageError } from './args.js';

/** The flags that raise (or lower) the limits on the input, and the limit each sets. */
const LIMITS = {
  'max-bytes': 'maxBytes',
  'max-depth': 'maxDepth',
  'max-elements': 'maxElements',
  'max-attributes': 'maxAttributesPerElement',
} as const satisfies Record<string, keyof ParseLimits>;

export const LIMIT_FLAGS = {
  'max-bytes': { type: 'string' },
  'max-depth': { type: 'string' },
  'max-elements': { type: 'string' },
  'max-attributes': { type: 'string' },
} as const satisfies Record<keyof typeof LIMITS, { type: 'string' }>;

/**
 * The limits the flags set (`policy.limits`).
 * @throws UsageError for a value that is not a positive whole number.
 */
export function inputLimits(flags: LimitFlagValues): Partial<ParseLimits> {
  const limits: Partial<Record<keyof ParseLimits, number>> = {};
  for (const [flag, limit] of Object.entries(LIMITS) as [
    keyof typeof LIMITS,
    keyof ParseLimits,
  ][]) {
    const value = flags[flag];
    if (value === undefined) continue;
    if (!/^[1-9]\d{0,11}$/.test(value)) {
      throw new UsageError(`--${flag} must be a positive whole number (got "${value}")`);
    }
    limits[limit] = Number(value);
  }
  return limits;
}

/** The values of {@link LIMIT_FLAGS}. */
export type LimitFlagValues = { readonly [F in keyof typeof LIMITS]?: string | undefined };

/** The flags, for a message: "--max-bytes, --max-depth, ...". */
export const LIMIT_FLAG_NAMES = Object.keys(LIMITS)
  .map((f) => `--${f}`)
  .join(', ');

/** True when a `LimitExceeded` rejection is behind `err`. */
export function overLimit(err: Error): boolean {
  let cause: unknown = err.cause;
  for (let i = 0; i < 8 && cause instanceof Error; i++) {
    if (isWsseqError(cause) && cause.code === 'LimitExceeded') return true;
    cause = cause.cause;
  }
  return false;
}
