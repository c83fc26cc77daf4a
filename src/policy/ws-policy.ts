/**
 * WS-Policy (1.5 and 2004/09) as far as a service contract needs it: policy expressions
 * (`Policy`, `All`, `ExactlyOne`), same-document `PolicyReference`s, and the first policy
 * alternative of an expression, flattened to its assertions.
 * @internal
 */
import { NS } from '../xml/ns.js';
import { attr, childElements, isElement } from '../xml/dom.js';
import type { Document, Element, Node } from '../xml/dom.js';
import { POLICY_PREFIX, WSP_NAMESPACES } from './policy-ns.js';

/** What reading a policy reports besides its assertions. */
export interface PolicyReadContext {
  /** Policies of the document by the URIs that reference them (`#id`, or a `Name`). */
  readonly policies: ReadonlyMap<string, Element>;
  /** Plain-language notes: alternatives not used, optional assertions taken. */
  readonly notes: string[];
}

/** True when `el` is the WS-Policy element `localName` (either namespace). */
export function isWsp(node: Node | null | undefined, localName: string): node is Element {
  return (
    isElement(node) && node.localName === localName && WSP_NAMESPACES.has(node.namespaceURI ?? '')
  );
}

/** The name an assertion is reported by: `sp:SignedParts`, or `{namespace}Name`. */
export function assertionName(el: Element): string {
  const prefix = POLICY_PREFIX[el.namespaceURI ?? ''];
  return prefix === undefined
    ? `{${el.namespaceURI ?? ''}}${el.localName ?? ''}`
    : `${prefix}:${el.localName ?? ''}`;
}

/**
 * Index every `wsp:Policy` of the document by `#wsu:Id`, `#xml:id` and `Name`.
 * @throws TypeError when two policies share an identifier.
 */
export function indexPolicies(doc: Document): Map<string, Element> {
  const out = new Map<string, Element>();
  const add = (key: string, el: Element): void => {
    if (out.has(key)) throw new TypeError(`two policies are identified as "${key}"`);
    out.set(key, el);
  };
  const stack: Node[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    for (const child of childElements(node)) {
      if (isWsp(child, 'Policy')) {
        const id = attr(child, NS.wsu, 'Id') ?? attr(child, NS.xml, 'id');
        if (id !== undefined) add(`#${id}`, child);
        const name = attr(child, null, 'Name');
        if (name !== undefined) add(name, child);
      }
      stack.push(child);
    }
  }
  return out;
}

/**
 * Resolve a PolicyReference URI within the contract.
 * @throws TypeError when it names no policy of the document (external policies are never
 *   fetched).
 */
export function resolvePolicyReference(uri: string, ctx: PolicyReadContext): Element {
  const target = ctx.policies.get(uri.trim());
  if (!target) {
    throw new TypeError(
      `the policy reference "${uri}" does not resolve: only policies in the same document ` +
        '(URI="#wsu:Id" or the policy Name) are used; nothing is fetched',
    );
  }
  return target;
}

/**
 * The assertions of the first alternative of a policy expression (a `wsp:Policy`, `wsp:All`
 * or `wsp:ExactlyOne`, or an assertion standing alone), references resolved. Other
 * alternatives are noted, not used.
 * @param where where the expression sits, for notes and errors.
 * @throws TypeError for an `ExactlyOne` without alternatives (the policy allows nothing), a
 *   reference that does not resolve or a circular reference.
 */
export function firstAlternative(
  el: Element,
  ctx: PolicyReadContext,
  where: string,
  active: ReadonlySet<Element> = new Set(),
): Element[] {
  if (isWsp(el, 'PolicyReference')) {
    const uri = attr(el, null, 'URI') ?? '';
    const target = resolvePolicyReference(uri, ctx);
    if (active.has(target)) throw new TypeError(`the policy reference "${uri}" is circular`);
    return firstAlternative(target, ctx, `${where} → ${uri}`, new Set([...active, target]));
  }
  if (isWsp(el, 'ExactlyOne')) {
    const alternatives = childElements(el);
    const first = alternatives[0];
    if (!first) {
      throw new TypeError(
        `${where}: wsp:ExactlyOne has no alternative (the policy allows nothing)`,
      );
    }
    if (alternatives.length > 1) {
      ctx.notes.push(
        `${where}: wsp:ExactlyOne offers ${alternatives.length} alternatives; the first is used`,
      );
    }
    return firstAlternative(first, ctx, where, active);
  }
  if (isWsp(el, 'Policy') || isWsp(el, 'All')) {
    return childElements(el).flatMap((c) => firstAlternative(c, ctx, where, active));
  }
  const optional = [...WSP_NAMESPACES].map((ns) => attr(el, ns, 'Optional')).find(Boolean);
  if (optional === 'true' || optional === '1') {
    ctx.notes.push(`${where}: ${assertionName(el)} is optional; it is applied`);
  }
  return [el];
}

/**
 * The nested policy of an assertion (its `wsp:Policy` or `wsp:PolicyReference` children),
 * flattened to the first alternative; empty when it has none.
 */
export function nestedAssertions(
  assertion: Element,
  ctx: PolicyReadContext,
  where: string,
): Element[] {
  return childElements(assertion)
    .filter((c) => isWsp(c, 'Policy') || isWsp(c, 'PolicyReference'))
    .flatMap((c) => firstAlternative(c, ctx, where));
}
