import { describe, expect, it } from 'vitest';
import { describeInputError, locateXmlError } from '../../../src/cli/input-error.js';
import { reject } from '../../../src/errors.js';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const MISMATCHED = '<a>\n  <b>\n  </c>\n</a>';

describe('input errors', () => {
  it('locates a well-formedness error with the tokenizer', () => {
    expect(locateXmlError(bytes(MISMATCHED))).toEqual({ line: 3, column: 3 });
    expect(locateXmlError(bytes('<a>\n<b x="1" x="2"/></a>'))).toEqual({ line: 2, column: 10 });
  });

  it('finds no position in a well-formed input, whatever its size', () => {
    const deep = `${'<a>'.repeat(200)}${'</a>'.repeat(200)}`;
    expect(locateXmlError(bytes(deep))).toBeUndefined();
    expect(locateXmlError(bytes('<order/>'))).toBeUndefined();
  });

  it('states the position once when the cause already carries it', () => {
    const cause = reject('MalformedMessage', 'end tag c does not match b (line 3, column 3)');
    const err = new TypeError('not well-formed', { cause });
    const text = describeInputError(err, bytes(MISMATCHED));
    expect(text).toBe('not well-formed: end tag c does not match b (line 3, column 3)');
  });

  it('adds the position when no cause carries one', () => {
    const text = describeInputError(new TypeError('refused'), bytes(MISMATCHED));
    expect(text).toBe('refused (line 3, column 3)');
    expect(describeInputError(new TypeError('refused'), bytes('<order/>'))).toBe('refused');
  });
});
