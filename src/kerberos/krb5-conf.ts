/**
 * The little of krb5.conf the initiator needs: the default realm and each realm's KDCs
 * (`KRB5_CONFIG`, a colon-separated list, else /etc/krb5.conf).
 */
import { existsSync, readFileSync } from 'node:fs';

export interface Krb5Config {
  readonly defaultRealm: string | undefined;
  /** KDC addresses (host or host:port) by realm. */
  readonly kdcs: ReadonlyMap<string, readonly string[]>;
}

/** Parse krb5.conf text (profile syntax; only [libdefaults] and [realms] are read). */
export function parseKrb5Config(text: string): Krb5Config {
  let section = '';
  let realm: string | undefined;
  let defaultRealm: string | undefined;
  const kdcs = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const sec = /^\[(\w+)\]$/.exec(line);
    if (sec) {
      section = sec[1] ?? '';
      realm = undefined;
      continue;
    }
    const open = /^(\S+)\s*=\s*\{$/.exec(line);
    if (open) {
      if (section === 'realms') realm = open[1];
      continue;
    }
    if (line === '}') {
      realm = undefined;
      continue;
    }
    const kv = /^(\S+)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const [, key, value = ''] = kv;
    if (section === 'libdefaults' && key === 'default_realm') defaultRealm = value.trim();
    if (section === 'realms' && realm && key === 'kdc') {
      kdcs.set(realm, [...(kdcs.get(realm) ?? []), value.trim()]);
    }
  }
  return { defaultRealm, kdcs };
}

/** Read the configuration the MIT library would read. */
export function readKrb5Config(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Krb5Config {
  const paths = (env.KRB5_CONFIG ?? '/etc/krb5.conf').split(':').filter((p) => existsSync(p));
  const merged = {
    defaultRealm: undefined as string | undefined,
    kdcs: new Map<string, string[]>(),
  };
  for (const p of paths) {
    const c = parseKrb5Config(readFileSync(p, 'utf8'));
    merged.defaultRealm ??= c.defaultRealm;
    for (const [r, list] of c.kdcs) if (!merged.kdcs.has(r)) merged.kdcs.set(r, [...list]);
  }
  return merged;
}
