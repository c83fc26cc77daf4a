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

/**
 * How old a message whose Timestamp has no Expires may be when the receiver sets no
 * `maxMessageAgeSeconds`: WCF's default (five minutes, to which the clock skew is added).
 * WSS 1.0 section 10 makes Expires optional; without this bound such a message would stay
 * acceptable, and its replay record needed, forever.
 */
export const DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS = 300;

export interface TimestampCheck {
  readonly now: Date;
  readonly maxClockSkewSeconds: number;
  /**
   * Oldest a message may be (Created to now), in seconds. Undefined: Expires alone decides,
   * or, for a Timestamp without Expires, {@link DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS}.
   */
  readonly maxMessageAgeSeconds: number | undefined;
  readonly requireExpires: boolean;
}

/**
 * The last instant at which a message with this Timestamp can be accepted: its Expires, or
 * Created plus the maximum age (`maxMessageAgeSeconds`, else for a Timestamp without Expires
 * the default), whichever comes first, plus the clock skew. Also how long a replay cache must
 * remember it.
 */
export function timestampAcceptableUntil(
  ts: Timestamp,
  maxMessageAgeSeconds: number | undefined,
  maxClockSkewSeconds: number,
): Date {
  const skew = maxClockSkewSeconds * 1000;
  const maxAge =
    maxMessageAgeSeconds ?? (ts.expires ? undefined : DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS);
  const bounds: number[] = [];
  if (ts.expires) bounds.push(ts.expires.getTime() + skew);
  if (maxAge !== undefined) bounds.push(ts.created.getTime() + maxAge * 1000 + skew);
  return new Date(Math.min(...bounds));
}

/**
 * Check freshness: Created not in the future beyond the skew, Expires not passed (with skew),
 * and the message not older than the maximum age (for a Timestamp without Expires, the
 * default age when none is set: see {@link timestampAcceptableUntil}).
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
  const until = timestampAcceptableUntil(ts, check.maxMessageAgeSeconds, check.maxClockSkewSeconds);
  if (now > until.getTime()) {
    const age = check.maxMessageAgeSeconds ?? DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS;
    throw reject(
      'MessageExpired',
      `the message is older than ${age} s (Created ${ts.created.toISOString()})`,
    );
  }
}
