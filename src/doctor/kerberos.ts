/**
 * The doctor's Kerberos checks: what is wrong with a keytab (for a service principal), a
 * credential cache (a sender's TGT) and the clock, in plain words. Offline: no KDC is asked.
 */
import { readCredentialCache } from '../kerberos/ccache.js';
import type { CredentialCache } from '../kerberos/ccache.js';
import { ENCTYPE_NAME, isSupportedEnctype } from '../kerberos/crypto.js';
import { readKeytab } from '../kerberos/keytab.js';
import type { KeytabEntry } from '../kerberos/keytab.js';
import { parsePrincipal, principalToString, samePrincipal } from '../kerberos/messages.js';

/** One Kerberos finding. */
export interface KerberosFinding {
  readonly check: 'keytab' | 'principal' | 'enctype' | 'ccache' | 'clock';
  readonly ok: boolean;
  readonly message: string;
}

export interface DiagnoseKerberosOptions {
  /** A service keytab to check. */
  readonly keytab?: string;
  /** The service principal the keytab must serve. */
  readonly servicePrincipal?: string;
  /** A sender's FILE: credential cache to check. */
  readonly credentialCache?: string;
  /** Default `new Date()`. */
  readonly now?: Date;
  /** Default 300. */
  readonly maxClockSkewSeconds?: number;
}

const nameOf = (e: number): string => ENCTYPE_NAME[e] ?? `enctype ${String(e)}`;

/** Check a keytab and/or a credential cache. Never throws for a bad file: it is a finding. */
export function diagnoseKerberos(options: DiagnoseKerberosOptions): KerberosFinding[] {
  const findings: KerberosFinding[] = [];
  const now = options.now ?? new Date();
  if (options.keytab !== undefined)
    findings.push(...keytabFindings(options.keytab, options.servicePrincipal));
  if (options.credentialCache !== undefined) {
    findings.push(
      ...ccacheFindings(options.credentialCache, now, (options.maxClockSkewSeconds ?? 300) * 1000),
    );
  }
  return findings;
}

function keytabFindings(path: string, spn: string | undefined): KerberosFinding[] {
  let entries: KeytabEntry[];
  try {
    entries = readKeytab(path);
  } catch (err) {
    return [
      { check: 'keytab', ok: false, message: `cannot read the keytab ${path}: ${String(err)}` },
    ];
  }
  const out: KerberosFinding[] = [
    {
      check: 'keytab',
      ok: entries.length > 0,
      message: `${String(entries.length)} key(s) in ${path}`,
    },
  ];
  let mine = entries;
  if (spn !== undefined) {
    const wanted = parsePrincipal(spn);
    mine = entries.filter((e) => samePrincipal(e.principal, wanted));
    const held = [...new Set(entries.map((e) => principalToString(e.principal)))];
    out.push(
      mine.length > 0
        ? { check: 'principal', ok: true, message: `the keytab holds keys for ${spn}` }
        : {
            check: 'principal',
            ok: false,
            message: `no key for ${spn}; the keytab holds ${held.join(', ') || 'nothing'} (check the SPN's spelling and realm, or ktadd it)`,
          },
    );
  }
  const strong = mine.filter((e) => isSupportedEnctype(e.key.enctype));
  const weak = [
    ...new Set(
      mine.filter((e) => !isSupportedEnctype(e.key.enctype)).map((e) => nameOf(e.key.enctype)),
    ),
  ];
  if (mine.length > 0 && strong.length === 0) {
    out.push({
      check: 'enctype',
      ok: false,
      message: `only ${weak.join(', ')} keys: refused (give the principal AES keys: kadmin cpw -randkey -e aes256-cts-hmac-sha1-96:normal ...)`,
    });
  } else if (weak.length > 0) {
    out.push({
      check: 'enctype',
      ok: true,
      message: `${weak.join(', ')} keys are present but never used`,
    });
  }
  return out;
}

function ccacheFindings(path: string, now: Date, skew: number): KerberosFinding[] {
  let cache: CredentialCache;
  try {
    cache = readCredentialCache(path);
  } catch (err) {
    return [
      {
        check: 'ccache',
        ok: false,
        message: `cannot read the credential cache ${path}: ${String(err)} (run kinit)`,
      },
    ];
  }
  const tgt = cache.credentials.find((c) => c.server.components[0] === 'krbtgt');
  if (!tgt) {
    return [
      {
        check: 'ccache',
        ok: false,
        message: `no TGT for ${principalToString(cache.principal)} (run kinit)`,
      },
    ];
  }
  const out: KerberosFinding[] = [];
  out.push(
    tgt.endTime.getTime() <= now.getTime()
      ? {
          check: 'ccache',
          ok: false,
          message: `the TGT expired at ${tgt.endTime.toISOString()} (run kinit)`,
        }
      : {
          check: 'ccache',
          ok: true,
          message: `TGT for ${principalToString(tgt.client)} until ${tgt.endTime.toISOString()}`,
        },
  );
  // The KDC stamps authtime with its own clock: far in our future means our clock is behind.
  const ahead = tgt.authTime.getTime() - now.getTime();
  if (ahead > skew) {
    out.push({
      check: 'clock',
      ok: false,
      message: `the KDC issued the TGT ${String(Math.round(ahead / 1000))} s in this machine's future: this clock is behind (Kerberos tolerates ${String(skew / 1000)} s)`,
    });
  }
  if (!isSupportedEnctype(tgt.key.enctype)) {
    out.push({
      check: 'enctype',
      ok: false,
      message: `the TGT session key is ${nameOf(tgt.key.enctype)}: not supported`,
    });
  }
  return out;
}
