/**
 * Differential corpus for exclusive c14n: thousands of generated documents (see
 * c14n-corpus-generator.ts) canonicalized by the canonicalizer under test
 * (c14n-under-test.ts), by libxml2 (lxml, one Python process for the whole corpus; xmllint
 * --exc-c14n on a sample) and by xml-crypto; byte-for-byte agreement required.
 *
 * Cases an oracle is known to get wrong are excluded from that oracle only, by feature, and
 * counted (never silently):
 * - a namespace URI holding '&': libxml2 writes it as '&#38;' (lxml) or '&' (xmllint); the spec renders namespace
 *   nodes with attribute-value escaping ('&amp;'), as the other oracle does.
 * - '#default' in the PrefixList: neither lxml 4.9 (libxml2 2.9.14 as lxml drives it) nor
 *   xml-crypto 6 renders the default namespace it names; the spec (Exc-C14N section 3: the
 *   namespaces on the list are handled as in Canonical XML) does. Checked by hand below.
 * - xml-crypto: any InclusiveNamespaces PrefixList (it takes any prefixed attribute whose
 *   local name is on the list for a namespace declaration, and misses inherited ones); a
 *   processing instruction inside the element (it renders the PI's data as
 *   text, or throws for a PI without data); a namespace URI holding '&' (it does not escape
 *   namespace URIs); a non-ASCII namespace prefix (it sorts declarations with localeCompare,
 *   not by code point); a comment holding & < or > in the WithComments variant (it escapes
 *   comment text, which the spec renders verbatim); '#default' as above.
 * A document holding a processing instruction (inside or outside the document element) is
 * refused by the tokenizer that feeds the streaming canonicalizer (SOAP forbids PIs, and wsseq
 * never canonicalizes what it refused): such cases are checked to be refused, and left out of
 * every oracle comparison, counted.
 * WSSEQ_C14N_SEED and WSSEQ_C14N_COUNT run another or a larger corpus.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import {
  APEX_ID,
  CORPUS_FEATURES,
  WSU_NS,
  generateCorpus,
  seededRandom,
} from './c14n-corpus-generator.js';
import type { CorpusDocument, CorpusFeature } from './c14n-corpus-generator.js';
import { canonicalizeSubtreeForTest, canonicalizeXmlForTest } from './c14n-under-test.js';
import { isWsseqError } from '../../../src/errors.js';
import { ancestorNamespaces } from '../../support/xml-crypto-context.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const SEED = Number(process.env.WSSEQ_C14N_SEED ?? 20261203);
const COUNT = Number(process.env.WSSEQ_C14N_COUNT ?? 4000);

const hasLxml = spawnSync(PYTHON, ['-c', 'import lxml.etree']).status === 0;
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

interface Case {
  readonly doc: CorpusDocument;
  readonly subtree: boolean;
  readonly withComments: boolean;
  readonly prefixes: string[];
}

function casesOf(docs: readonly CorpusDocument[]): Case[] {
  const rnd = seededRandom(SEED ^ 0x5a5a);
  const cases: Case[] = [];
  for (const doc of docs) {
    cases.push({ doc, subtree: false, withComments: false, prefixes: [] });
    cases.push({ doc, subtree: false, withComments: true, prefixes: [] });
    if (doc.inclusivePrefixes.length > 0) {
      cases.push({ doc, subtree: false, withComments: false, prefixes: doc.inclusivePrefixes });
    }
    if (doc.hasApex) {
      cases.push({ doc, subtree: true, withComments: rnd() < 0.5, prefixes: [] });
      if (doc.inclusivePrefixes.length > 0) {
        cases.push({ doc, subtree: true, withComments: false, prefixes: doc.inclusivePrefixes });
      }
    }
  }
  return cases;
}

function underTest(c: Case): string {
  const options = { withComments: c.withComments, inclusivePrefixes: c.prefixes };
  return c.subtree
    ? canonicalizeSubtreeForTest(c.doc.xml, APEX_ID, options)
    : canonicalizeXmlForTest(c.doc.xml, options);
}

/** The expected outputs from libxml2, one Python process for every case. */
function lxmlOutputs(cases: readonly Case[]): ({ c14n: string } | { error: string })[] {
  const input = cases
    .map((c) =>
      JSON.stringify({
        xml: c.doc.xml,
        withComments: c.withComments,
        prefixes: c.prefixes,
        apex: c.subtree ? APEX_ID : null,
      }),
    )
    .join('\n');
  const r = spawnSync(PYTHON, [join(HERE, 'c14n_lxml.py')], {
    input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`lxml oracle failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { c14n: string } | { error: string });
}

function findApex(root: Element): Element {
  const all = root.getElementsByTagNameNS('*', '*');
  for (let i = 0; i < all.length; i++) {
    const el = all.item(i);
    if (el?.getAttributeNS(WSU_NS, 'Id') === APEX_ID) return el;
  }
  throw new Error('no apex');
}

function xmlCrypto(c: Case): string {
  const root = new DOMParser().parseFromString(c.doc.xml, 'text/xml').documentElement;
  if (!root) throw new Error('no document element');
  const apex = c.subtree ? findApex(root) : root;
  const algorithm = c.withComments
    ? new ExclusiveCanonicalizationWithComments()
    : new ExclusiveCanonicalization();
  return algorithm.process(apex, {
    inclusiveNamespacesPrefixList: c.prefixes,
    ancestorNamespaces: c.subtree ? ancestorNamespaces(apex) : [],
  });
}

const XML_CRYPTO_EXCLUDED: readonly CorpusFeature[] = [
  'piInElement',
  'nonAsciiPrefix',
  'commentMarkupChars',
  'uriNeedsEscape',
  'defaultInPrefixList',
];
const LXML_EXCLUDED: readonly CorpusFeature[] = ['defaultInPrefixList', 'uriNeedsEscape'];

/** A processing instruction other than the XML declaration. */
const holdsPi = (c: Case): boolean => /<\?(?!xml[\s?])/.test(c.doc.xml);

const excludedBy = (c: Case, features: readonly CorpusFeature[]): boolean =>
  holdsPi(c) ||
  features.some(
    (f) =>
      c.doc.features.has(f) &&
      (f !== 'defaultInPrefixList' || c.prefixes.includes('#default')) &&
      (f !== 'commentMarkupChars' || c.withComments),
  );

interface Mismatch {
  readonly oracle: string;
  readonly xml: string;
  readonly subtree: boolean;
  readonly withComments: boolean;
  readonly prefixes: string[];
  readonly expected: string;
  readonly actual: string;
}

function mismatch(oracle: string, c: Case, expected: string, actual: string): Mismatch {
  const { xml } = c.doc;
  return {
    oracle,
    xml,
    subtree: c.subtree,
    withComments: c.withComments,
    prefixes: c.prefixes,
    expected,
    actual,
  };
}

describe('exclusive c14n differential corpus', () => {
  const docs = generateCorpus(SEED, COUNT);
  const cases = casesOf(docs);
  const actual = cases.map((c) => {
    try {
      return underTest(c);
    } catch (err) {
      return `THREW ${isWsseqError(err) ? err.code : 'other'} ${(err as Error).message}`;
    }
  });

  it('covers every feature of the generator', () => {
    expect(docs.length).toBe(COUNT);
    for (const f of CORPUS_FEATURES) {
      expect(docs.filter((d) => d.features.has(f)).length).toBeGreaterThan(COUNT / 50);
    }
    expect(cases.filter((c) => c.subtree).length).toBeGreaterThan(COUNT / 3);
    expect(cases.filter((c) => c.prefixes.length > 0).length).toBeGreaterThan(COUNT / 5);
  });

  it('refuses every document holding a processing instruction (SOAP forbids them)', () => {
    const withPi = cases.map((c, i) => ({ c, out: actual[i] ?? '' })).filter(({ c }) => holdsPi(c));
    expect(withPi.length).toBeGreaterThan(0);
    for (const { out } of withPi) expect(out).toMatch(/^THREW MalformedMessage /);
  });

  it.skipIf(!hasLxml)('agrees byte for byte with libxml2 (lxml)', () => {
    const expected = lxmlOutputs(cases);
    expect(expected.length).toBe(cases.length);
    const bad: Mismatch[] = [];
    let compared = 0;
    let excluded = 0;
    cases.forEach((c, i) => {
      const e = expected[i];
      if (!e) throw new Error('missing oracle output');
      if ('error' in e)
        throw new Error(`lxml refused a generated document: ${e.error}\n${c.doc.xml}`);
      if (excludedBy(c, LXML_EXCLUDED)) {
        excluded++;
        return;
      }
      compared++;
      if (e.c14n !== actual[i]) bad.push(mismatch('lxml', c, e.c14n, actual[i] ?? ''));
    });
    expect(bad.slice(0, 3)).toEqual([]);
    expect(compared).toBeGreaterThan(cases.filter((c) => !holdsPi(c)).length * 0.75);
    expect(excluded).toBeGreaterThan(0);
  });

  it('agrees byte for byte with xml-crypto where it is right', () => {
    const bad: Mismatch[] = [];
    let compared = 0;
    cases.forEach((c, i) => {
      if (c.prefixes.length > 0 || excludedBy(c, XML_CRYPTO_EXCLUDED)) return;
      compared++;
      const e = xmlCrypto(c);
      if (e !== actual[i]) bad.push(mismatch('xml-crypto', c, e, actual[i] ?? ''));
    });
    expect(bad.slice(0, 3)).toEqual([]);
    expect(compared).toBeGreaterThan(cases.filter((c) => !holdsPi(c)).length * 0.15);
  });

  it.skipIf(!hasXmllint)('agrees with xmllint --exc-c14n (with comments) on a sample', () => {
    const sample = docs
      .filter(
        (d) =>
          !d.features.has('prolog') &&
          !d.features.has('uriNeedsEscape') &&
          !/<\?(?!xml[\s?])/.test(d.xml),
      )
      .slice(0, 25);
    expect(sample.length).toBe(25);
    const dir = mkdtempSync(join(tmpdir(), 'wsseq-c14n-'));
    try {
      for (const [i, doc] of sample.entries()) {
        const file = join(dir, `d${i}.xml`);
        writeFileSync(file, doc.xml);
        const r = spawnSync('xmllint', ['--exc-c14n', file], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        expect(canonicalizeXmlForTest(doc.xml, { withComments: true })).toBe(r.stdout);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("renders the default namespace '#default' names, as the spec says (the oracles do not)", () => {
    const xml = '<a:r xmlns="urn:d" xmlns:a="urn:a"><a:c><a:e/></a:c></a:r>';
    expect(canonicalizeXmlForTest(xml, { inclusivePrefixes: ['#default'] })).toBe(
      '<a:r xmlns="urn:d" xmlns:a="urn:a"><a:c><a:e></a:e></a:c></a:r>',
    );
    expect(canonicalizeXmlForTest(xml, {})).toBe(
      '<a:r xmlns:a="urn:a"><a:c><a:e></a:e></a:c></a:r>',
    );
    const deep = `<r xmlns="urn:d" xmlns:wsu="${WSU_NS}"><a:c xmlns:a="urn:a" wsu:Id="x"><a:e/></a:c></r>`;
    expect(canonicalizeSubtreeForTest(deep, 'x', { inclusivePrefixes: ['#default'] })).toBe(
      `<a:c xmlns="urn:d" xmlns:a="urn:a" xmlns:wsu="${WSU_NS}" wsu:Id="x"><a:e></a:e></a:c>`,
    );
  });
});
