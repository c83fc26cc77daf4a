/**
 * Cost linear in the input for every hostile shape (issue 9 item 8): each shape costs at most
 * a fixed multiple of tokenizing a plain, flat document of the same size, measured in the same
 * test (ratios, not absolute times: the machine is shared).
 */
import { describe, expect, it } from 'vitest';
import type { ParseLimits } from '../../../src/xml/parse.js';
import { tokenize } from '../../../src/xml/tokenizer.js';

const RAISED: ParseLimits = {
  maxBytes: 1 << 30,
  maxDepth: 1 << 30,
  maxElements: 1 << 30,
  maxAttributesPerElement: 1 << 30,
  maxNamespaceDeclarations: 1 << 30,
};

function fill(size: number, unit: string): string {
  return unit.repeat(Math.ceil(size / unit.length));
}

const SHAPES: Readonly<Record<string, (size: number) => string>> = {
  flat: (size) => `<r>${fill(size, '<e a="x">text</e>')}</r>`,
  'deep nesting, a namespace declared on each level': (size) => {
    const n = Math.ceil(size / 40);
    return `${'<p:e xmlns:p="urn:p">'.repeat(n)}x${'</p:e>'.repeat(n)}`;
  },
  'deep nesting, default namespace changing on each level': (size) => {
    const n = Math.ceil(size / 40);
    let open = '';
    for (let i = 0; i < n; i++) open += `<e xmlns="urn:${String(i % 2)}">`;
    return `${open}${'</e>'.repeat(n)}`;
  },
  // Elements of 4096 attributes each: a quadratic uniqueness check would show at once.
  'many attributes per element': (size) => {
    let element = '<e';
    for (let i = 0; i < 4096; i++) element += ` a${String(i)}="v"`;
    return `<r>${fill(size, `${element}/>`)}</r>`;
  },
  'many namespaced attributes per element': (size) => {
    let element = '<e';
    for (let i = 0; i < 2048; i++)
      element += ` xmlns:p${String(i)}="urn:${String(i)}" p${String(i)}:a="v"`;
    return `<r>${fill(size, `${element}/>`)}</r>`;
  },
  'one long name': (size) => {
    const name = `n${'a'.repeat(size / 2)}`;
    return `<${name}>x</${name}>`;
  },
  'one long text with references': (size) => `<r>${fill(size, 'ab&amp;c&#x41;d ')}</r>`,
  'one long attribute value': (size) => `<r a="${fill(size, 'ab&lt;\tc ')}"/>`,
  'many comments': (size) => `<r>${fill(size, '<!-- c -->x')}</r>`,
};

function timeOf(xml: string, rounds: number): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    tokenize(xml, {}, { limits: RAISED });
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** At 16 MB (to keep the suite short): the shapes that were quadratic (issue 9 item 8). */
const AT_16_MB = new Set([
  'deep nesting, a namespace declared on each level',
  'deep nesting, default namespace changing on each level',
  'many namespaced attributes per element',
]);

describe('tokenizer cost is linear in the input for every shape', () => {
  for (const size of [1 << 20, 16 << 20]) {
    const large = size > 1 << 20;
    it(
      `at ${String(size >> 20)} MB each shape costs at most 10x a flat document`,
      { timeout: 240_000 },
      () => {
        const rounds = large ? 2 : 3;
        const baseline = timeOf(SHAPES.flat?.(size) ?? '', rounds);
        for (const [name, make] of Object.entries(SHAPES)) {
          if (large && !AT_16_MB.has(name)) continue;
          const t = timeOf(make(size), rounds);
          expect(t, `${name}: ${t.toFixed(1)} ms vs flat ${baseline.toFixed(1)} ms`).toBeLessThan(
            10 * baseline + 5,
          );
        }
      },
    );
  }
});
