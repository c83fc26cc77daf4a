/**
 * Why `wsseq secure` refused its input, for the operator: the chain of causes behind the
 * library's error and, for XML that is not well-formed, the line and column.
 *
 * The position comes from the error chain when the parser recorded one; otherwise the input
 * is parsed once more, by xmldom with its locator on, only to locate the error (the input is a
 * local file the operator gave; this is a diagnostic, not a security check).
 */
import { DOMParser } from '@xmldom/xmldom';

/** A place in the input, 1-based. */
export interface InputPosition {
  readonly line: number;
  readonly column: number | undefined;
}

/** The longest cause chain followed. */
const MAX_CAUSES = 8;

/** The messages of `err` and its causes, each once, without trailing periods. */
export function causeMessages(err: unknown): string[] {
  const parts: string[] = [];
  let current: unknown = err;
  for (let i = 0; i < MAX_CAUSES && current instanceof Error; i++) {
    const text = current.message.replace(/\.$/, '');
    if (!parts.includes(text)) parts.push(text);
    current = current.cause;
  }
  return parts;
}

/**
 * The message for a refused input: `err`'s message, its causes, and where in `input` a
 * well-formedness error is (when one can be found).
 */
export function describeInputError(err: Error, input: Uint8Array): string {
  const position = positionInChain(err) ?? locateXmlError(input);
  const where =
    position === undefined
      ? ''
      : ` (line ${position.line}${position.column === undefined ? '' : `, column ${position.column}`})`;
  return `${causeMessages(err).join(': ')}${where}`;
}

/** A position some error in the chain carries (`locator`, or `line` and `column`). */
function positionInChain(err: unknown): InputPosition | undefined {
  let current: unknown = err;
  for (let i = 0; i < MAX_CAUSES && current instanceof Error; i++) {
    const found = positionOf(current);
    if (found) return found;
    current = current.cause;
  }
  return undefined;
}

function positionOf(err: Error): InputPosition | undefined {
  const e = err as Error & {
    locator?: { lineNumber?: unknown; columnNumber?: unknown };
    line?: unknown;
    column?: unknown;
  };
  const line = e.locator?.lineNumber ?? e.line;
  const column = e.locator?.columnNumber ?? e.column;
  if (typeof line !== 'number' || line < 1) return undefined;
  return { line, column: typeof column === 'number' ? column : undefined };
}

/**
 * Where the first well-formedness error of `input` is, or undefined when xmldom finds none
 * (the input was refused for another reason: a limit, a DOCTYPE, not SOAP).
 */
export function locateXmlError(input: Uint8Array): InputPosition | undefined {
  let text = Buffer.from(input).toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.includes('<!DOCTYPE') || text.includes('<!ENTITY')) return undefined;
  let found: InputPosition | undefined;
  const parser = new DOMParser({
    locator: true,
    onError: () => {
      throw new Error('stop');
    },
  });
  try {
    parser.parseFromString(text, 'text/xml');
  } catch (err) {
    if (err instanceof Error) found = positionInChain(err);
  }
  return found;
}
