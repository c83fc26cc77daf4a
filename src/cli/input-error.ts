/**
 * Why `wsseq secure` refused its input, for the operator: the chain of causes behind the
 * library's error and, for XML that is not well-formed, the line and column.
 *
 * The position comes from the error chain: the hardened tokenizer states it in its message
 * (`... (line 4, column 3)`), another parser may record it as fields. Otherwise the input is
 * read once more by the tokenizer, without limits, only to locate the error (the input is a
 * local file the operator gave; this is a diagnostic, not a security check).
 */
import { isWsseqError } from '../errors.js';
import { decodeMessage } from '../xml/decode.js';
import { tokenize } from '../xml/tokenizer.js';

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
  const messages = causeMessages(err);
  // The tokenizer's own message already says where: say it once.
  if (messages.some((m) => positionInText(m) !== undefined)) return messages.join(': ');
  const position = positionInChain(err) ?? locateXmlError(input);
  const where =
    position === undefined
      ? ''
      : ` (line ${position.line}${position.column === undefined ? '' : `, column ${position.column}`})`;
  return `${messages.join(': ')}${where}`;
}

/** A position some error in the chain carries (`locator`, or `line` and `column`). */
function positionInChain(err: unknown): InputPosition | undefined {
  let current: unknown = err;
  for (let i = 0; i < MAX_CAUSES && current instanceof Error; i++) {
    const found = positionFields(current);
    if (found) return found;
    current = current.cause;
  }
  return undefined;
}

/** The tokenizer ends a well-formedness error's message with `(line L, column C)`. */
const TOKENIZER_POSITION = /\(line (\d+), column (\d+)\)$/;

function positionInText(message: string): InputPosition | undefined {
  const m = TOKENIZER_POSITION.exec(message);
  if (!m) return undefined;
  return { line: Number(m[1]), column: Number(m[2]) };
}

function positionFields(err: Error): InputPosition | undefined {
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

/** No limit: the diagnostic pass only looks for the first well-formedness error. */
const NO_LIMITS = Object.freeze({
  maxBytes: Number.MAX_SAFE_INTEGER,
  maxDepth: Number.MAX_SAFE_INTEGER,
  maxElements: Number.MAX_SAFE_INTEGER,
  maxAttributesPerElement: Number.MAX_SAFE_INTEGER,
  maxNamespaceDeclarations: Number.MAX_SAFE_INTEGER,
});

/**
 * Where the first well-formedness error of `input` is, as the hardened tokenizer finds it, or
 * undefined when it finds none (the input was refused for another reason: a limit, not SOAP).
 */
export function locateXmlError(input: Uint8Array): InputPosition | undefined {
  try {
    tokenize(decodeMessage(input, NO_LIMITS.maxBytes), {}, { limits: NO_LIMITS });
  } catch (err) {
    if (isWsseqError(err) && err.code === 'MalformedMessage') return positionInText(err.message);
  }
  return undefined;
}
