/** Colour only on a terminal, and never with NO_COLOR (https://no-color.org) or TERM=dumb. */
import { describe, expect, it } from 'vitest';
import { shouldUseColor } from '../../../src/cli/io.js';

describe('shouldUseColor', () => {
  it('colours a terminal', () => {
    expect(shouldUseColor({}, true)).toBe(true);
    expect(shouldUseColor({ NO_COLOR: '' }, true)).toBe(true);
  });

  it('NO_COLOR with any value turns colour off', () => {
    for (const value of ['1', 'true', '0', 'yes']) {
      expect(shouldUseColor({ NO_COLOR: value }, true)).toBe(false);
    }
  });

  it('not a terminal, or TERM=dumb: no colour', () => {
    expect(shouldUseColor({}, false)).toBe(false);
    expect(shouldUseColor({}, undefined)).toBe(false);
    expect(shouldUseColor({ TERM: 'dumb' }, true)).toBe(false);
  });
});
