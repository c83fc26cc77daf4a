/**
 * The canonicalizer the c14n differential corpus test checks: the streaming one the pipeline
 * uses (tokenizer → exclusive c14n), over the document element of `xml`.
 */
import { canonicalizeDocument } from '../../../src/dsig/c14n-stream.js';

export function canonicalizeXmlForTest(
  xml: string,
  options: { inclusivePrefixes?: string[]; withComments?: boolean },
): string {
  return canonicalizeDocument(xml, options);
}
