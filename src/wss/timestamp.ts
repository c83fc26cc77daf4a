/** wsu:Timestamp: write one, read one strictly, and check it against a clock. */
import { reject } from '../errors.js';
import { childElements, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { createElement } from '../xml/build.js';
import { NS, PREFIX } from '../xml/ns.js';

export interface Timestamp {
  readonly created: Date;
  readonly expires: Date | undefined;
}

/** Build `wsu:Timestamp` with Created and (when ttl > 0) Expires, in UTC to the millisecond. */
export function createTimestamp(doc: Document, now: Date, ttlSeconds: number, id: string): Element {
  const ts = createElement(doc, NS.wsu, `${PREFIX.wsu}:Timestamp`);
  ts.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, id);
  ts.appendChild(createElement(doc, NS.wsu, `${PREFIX.wsu}:Created`, {}, now.toISOString()));
  if (ttlSeconds > 0) {
    const expires = new Date(now.getTime() + ttlSeconds * 1000);
    ts.appendChild(createElement(doc, NS.wsu, `${PREFIX.wsu}:Expires`, {}, expires.toISOString()));
  }
  return ts;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parse an xsd:dateTime that carries a zone (Z or an offset, as zeep writes +00:00). */
export function parseDateTime(text: string, what: string): Date {
  const t = text.trim();
  const d = DATE_TIME.test(t) ? new Date(t) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw reject('MalformedMessage', `${what} "${t}" is not a dateTime with a time zone`);
  }
  return d;
}

/**
 * Read a wsu:Timestamp: exactly one Created first, at most one Expires after it, nothing else.
 * @throws WsseqError `MalformedMessage`.
 */
export function readTimestamp(el: Element): Timestamp {
  const children = childElements(el);
  const [first, second, ...rest] = children;
  if (!first || first.namespaceURI !== NS.wsu || first.localName !== 'Created' || rest.length > 0) {
    throw reject('MalformedMessage', 'a Timestamp holds one Created and at most one Expires');
  }
  if (second && (second.namespaceURI !== NS.wsu || second.localName !== 'Expires')) {
    throw reject('MalformedMessage', 'a Timestamp holds one Created and at most one Expires');
  }
  const created = parseDateTime(textOf(first), 'Created');
  const expires = second ? parseDateTime(textOf(second), 'Expires') : undefined;
  if (expires && expires.getTime() < created.getTime()) {
    throw reject('MalformedMessage', 'the Timestamp expires before it was created');
  }
  return { created, expires };
}

export interface TimestampCheck {
  readonly now: Date;
  readonly maxClockSkewSeconds: number;
  /** Oldest a message may be (Created to now), in seconds; undefined: Expires alone decides. */
  readonly maxMessageAgeSeconds: number | undefined;
  readonly requireExpires: boolean;
}

/**
 * Check freshness: Created not in the future beyond the skew, Expires not passed (with skew),
 * and the message not older than the maximum age.
 * @throws WsseqError `MessageExpired`, `PolicyViolation` (Expires required but missing).
 */
export function checkTimestamp(ts: Timestamp, check: TimestampCheck): void {
  const now = check.now.getTime();
  const skew = check.maxClockSkewSeconds * 1000;
  if (ts.created.getTime() - skew > now) {
    throw reject(
      'MessageExpired',
      `the Timestamp was created in the future (${ts.created.toISOString()})`,
    );
  }
  if (!ts.expires && check.requireExpires) {
    throw reject('PolicyViolation', 'the Timestamp has no Expires');
  }
  if (ts.expires && ts.expires.getTime() + skew < now) {
    throw reject('MessageExpired', `the message expired at ${ts.expires.toISOString()}`);
  }
  if (
    check.maxMessageAgeSeconds !== undefined &&
    now - ts.created.getTime() > check.maxMessageAgeSeconds * 1000 + skew
  ) {
    throw reject('MessageExpired', `the message is older than ${check.maxMessageAgeSeconds} s`);
  }
}
