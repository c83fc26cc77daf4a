import { describe, expect, it } from 'vitest';
import { decodeBase64Text } from '../../../src/xml/base64.js';

/** The rule as it was written before the fast path: strip `\s`, then one regular expression. */
function reference(text: string, allowEmpty: boolean): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  if (!allowEmpty && compact.length === 0) return undefined;
  return Buffer.from(compact, 'base64');
}

const PIECES = [
  'QUJD',
  'ZA==',
  'ZGU=',
  '=',
  '==',
  '===',
  ' ',
  '\n',
  '\t',
  '\u00a0',
  '\u2028',
  '-',
  '_',
  '.',
  'é',
  'A',
  '+/',
  '',
];

describe('decodeBase64Text', () => {
  it('decodes compact and wrapped base64', () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    const b64 = bytes.toString('base64');
    expect(decodeBase64Text(b64)).toEqual(bytes);
    const wrapped = b64.replace(/.{64}/g, '$&\n');
    expect(decodeBase64Text(wrapped)).toEqual(bytes);
  });

  it('refuses padding in the middle, three pads, and characters outside the alphabet', () => {
    expect(decodeBase64Text('ZA==ZA==')).toBeUndefined();
    expect(decodeBase64Text('Z===')).toBeUndefined();
    expect(decodeBase64Text('QUJD-')).toBeUndefined();
    expect(decodeBase64Text('QUJD_')).toBeUndefined();
    expect(decodeBase64Text('', false)).toBeUndefined();
    expect(decodeBase64Text(' \n', false)).toBeUndefined();
    expect(decodeBase64Text('')).toEqual(Buffer.alloc(0));
  });

  it('agrees with the regular-expression rule on generated texts', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const parts = next() % 8;
      for (let p = 0; p < parts; p++) text += PIECES[next() % PIECES.length] ?? '';
      for (const allowEmpty of [true, false]) {
        expect(decodeBase64Text(text, allowEmpty), JSON.stringify(text)).toEqual(
          reference(text, allowEmpty),
        );
      }
    }
  });
});
