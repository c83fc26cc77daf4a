/**
 * The console's audit log: one JSON line per operator action (who, when, what, which
 * message, and how it ended), appended to a file opened in append mode. Never the message's
 * content, a key or a token.
 */
import { appendFileSync } from 'node:fs';

/** The operator actions. */
export type AuditAction = 'retry' | 'move' | 'delete' | 'purge';

/** One line of the audit log. */
export interface AuditEntry {
  /** Who acted: the operator certificate's subject, or the token session. */
  readonly who: string;
  readonly via: 'console' | 'cli';
  readonly action: AuditAction;
  readonly queue: string;
  readonly messageId?: string;
  readonly target?: string;
  readonly outcome: 'done' | 'failed';
  /** Failed: the ConsoleError code. */
  readonly code?: string;
  /** Purge: how many messages. */
  readonly count?: number;
}

/** An append-only audit log. */
export interface AuditLog {
  readonly file: string;
  /** Append one entry (with `at`, now). @throws the file system's error. */
  append(entry: AuditEntry): void;
}

/** Open (create) the audit log `file`, readable by its owner only when created. */
export function openAuditLog(file: string, now: () => Date = () => new Date()): AuditLog {
  if (typeof file !== 'string' || file === '')
    throw new TypeError('audit log: file must be a path');
  const append = (entry: AuditEntry): void => {
    appendFileSync(file, `${JSON.stringify({ at: now().toISOString(), ...entry })}\n`, {
      flag: 'a',
      mode: 0o600,
    });
  };
  return { file, append };
}
