/**
 * Identity mapping from client certificates to accounts, as IIS does it: one-to-one (this
 * certificate is this account) and many-to-one (rules over issuer and subject fields and the
 * SAN UPN or e-mail, first match wins, a rule may deny). Knows nothing of XML or queues:
 * a validated certificate in, an account out (or a throw).
 *
 * Codes: an unmapped certificate (when a mapping is required) and a certificate a deny rule
 * matches are `AuthenticationFailed`: the certificate is valid and trusted but logs nobody
 * on, which IIS reports as 403.12 "mapper denied access" / 401.1 "logon failed" (and WCF as
 * FailedAuthentication). Trust failures (IIS 403.16, 403.17, 403.13) stay the
 * TrustStore's `CertificateUntrusted`, `CertificateExpired`, `CertificateRevoked`.
 */
import { CertificateError, reject } from '../errors.js';
import type { Certificate } from './certificate.js';
import { describeIdentity } from './identity.js';
import {
  anyOf,
  arrayOf,
  checkOptions,
  InvalidOptionError,
  isBoolean,
  isOptions,
  isString,
  oneOf,
  required,
} from '../policy/check-options.js';
import type { Checker, OptionSpec } from '../policy/check-options.js';
import { isCertificate } from '../policy/option-values.js';

/** The account a certificate maps to. */
export interface MappedAccount {
  readonly account: string;
  readonly roles: readonly string[];
  /** Which rule matched: `one-to-one:<index>` or the many-to-one rule's name. */
  readonly rule: string;
}

/**
 * This certificate is this account (IIS one-to-one mapping), or this Kerberos principal is
 * (give exactly one of `certificate` and `principal`).
 */
export interface OneToOneMapping {
  /** The certificate itself (compared by DER), or its SHA-256 or SHA-1 thumbprint in hex. */
  readonly certificate?: Certificate | string;
  /** A Kerberos client principal (`alice@QUEUE.TEST`), compared exactly. */
  readonly principal?: string;
  readonly account: string;
  readonly roles?: readonly string[];
}

/**
 * A pattern: `*` matches any run of characters; comparison is case-insensitive (as IIS's
 * default), after trimming and folding runs of spaces.
 */
export type FieldPattern = string;

/** A many-to-one rule: every condition given must match. */
export interface ManyToOneRule {
  /** A name for logs and for {@link MappedAccount.rule}. */
  readonly name?: string;
  /** Issuer DN attributes by short name (`CN`, `O`, `OU`, `C`, `L`, `ST`...): pattern. */
  readonly issuer?: Readonly<Record<string, FieldPattern>>;
  /** Subject DN attributes by short name: pattern. */
  readonly subject?: Readonly<Record<string, FieldPattern>>;
  /** A SAN UPN (otherName 1.3.6.1.4.1.311.20.2.3) matching this pattern. */
  readonly upn?: FieldPattern;
  /** A SAN rfc822Name (or, lacking one, a subject E attribute) matching this pattern. */
  readonly email?: FieldPattern;
  /**
   * A Kerberos client principal matching this pattern (`*@QUEUE.TEST`). A rule with it
   * applies to Kerberos identities only, and may not also have certificate conditions.
   */
  readonly principal?: FieldPattern;
  /** `allow` (default) maps to `account`; `deny` refuses the certificate (IIS "Refuse access"). */
  readonly action?: MappingAction;
  /** Required for `allow`. */
  readonly account?: string;
  readonly roles?: readonly string[];
}

/** What a many-to-one rule does when it matches. */
export type MappingAction = (typeof MAPPING_ACTIONS)[number];
export const MAPPING_ACTIONS = ['allow', 'deny'] as const;

const isPatterns: Checker = (value, path) => {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(path, 'must be an object of attribute patterns');
  }
  for (const [k, v] of Object.entries(value)) isString()(v, `${path}.${k}`);
};

/** Every {@link IdentityMappingOptions} option and what it accepts. */
const MAPPING_OPTIONS: OptionSpec<IdentityMappingOptions> = {
  oneToOne: arrayOf(
    isOptions<OneToOneMapping>({
      certificate: anyOf(isCertificate, isString()),
      principal: isString(),
      account: required(isString()),
      roles: arrayOf(isString()),
    }),
  ),
  manyToOne: arrayOf(
    isOptions<ManyToOneRule>({
      name: isString(),
      issuer: isPatterns,
      subject: isPatterns,
      upn: isString(),
      email: isString(),
      principal: isString(),
      action: oneOf(MAPPING_ACTIONS),
      account: isString(),
      roles: arrayOf(isString()),
    }),
  ),
  requireMapping: isBoolean,
};

export interface IdentityMappingOptions {
  readonly oneToOne?: readonly OneToOneMapping[];
  /** Tried in order after the one-to-one mappings; the first match wins. */
  readonly manyToOne?: readonly ManyToOneRule[];
  /** Reject certificates no mapping matches (`AuthenticationFailed`). Default true. */
  readonly requireMapping?: boolean;
}

/** A checked mapping. */
export interface IdentityMapper {
  /**
   * Map a certificate (already validated by a TrustStore) to an account.
   * @returns the account, or undefined when nothing matched and no mapping is required.
   * @throws WsseqError `AuthenticationFailed` when a deny rule matches, or when nothing
   *   matches and a mapping is required; CertificateError `CertificateRequired` when there
   *   is no certificate and a mapping is required.
   */
  map(certificate: Certificate | undefined): MappedAccount | undefined;
  /**
   * Map a Kerberos client principal (already authenticated) to an account: the one-to-one
   * `principal` mappings, then the many-to-one rules with a `principal` condition.
   * @returns the account, or undefined when nothing matched and no mapping is required.
   * @throws WsseqError `AuthenticationFailed` when a deny rule matches, or when nothing
   *   matches and a mapping is required.
   */
  mapPrincipal(principal: string): MappedAccount | undefined;
}

interface CompiledRule {
  readonly name: string;
  readonly test: (cert: Certificate) => boolean;
  /** Set for rules over a Kerberos principal (then `test` is never true). */
  readonly principalTest: ((principal: string) => boolean) | undefined;
  readonly deny: boolean;
  readonly account: string;
  readonly roles: readonly string[];
}

/**
 * Check the mapping options once and return a mapper. One-to-one mappings are looked up
 * first, then the many-to-one rules in order.
 * @throws TypeError for an allow rule without an account, a rule without any condition, a
 *   thumbprint that is not 40 or 64 hex digits, or an empty account.
 * @example
 * const mapper = createIdentityMapper({
 *   oneToOne: [{ certificate: aliceCert, account: 'CORP\\alice' }],
 *   manyToOne: [{ issuer: { CN: 'Contoso Issuing CA' }, subject: { OU: 'Sales' }, account: 'CORP\\sales', roles: ['orders'] }],
 * });
 */
export function createIdentityMapper(options: IdentityMappingOptions): IdentityMapper {
  checkOptions<IdentityMappingOptions>(options, 'options', MAPPING_OPTIONS);
  const byDer: { der: Buffer; account: string; roles: readonly string[]; rule: string }[] = [];
  const byThumbprint = new Map<
    string,
    { account: string; roles: readonly string[]; rule: string }
  >();
  const byPrincipal = new Map<
    string,
    { account: string; roles: readonly string[]; rule: string }
  >();
  (options.oneToOne ?? []).forEach((m, i) => {
    if (m.account === '') throw new TypeError('a one-to-one mapping needs an account');
    const entry = { account: m.account, roles: [...(m.roles ?? [])], rule: `one-to-one:${i}` };
    if ((m.certificate === undefined) === (m.principal === undefined)) {
      throw new TypeError(`one-to-one mapping ${i}: give a certificate or a principal`);
    }
    if (m.principal !== undefined) {
      byPrincipal.set(m.principal, entry);
    } else if (typeof m.certificate === 'string') {
      const t = m.certificate.replace(/[\s:]/g, '').toLowerCase();
      if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(t)) {
        throw new TypeError(`one-to-one mapping ${i}: a thumbprint is 40 or 64 hex digits`);
      }
      byThumbprint.set(t, entry);
    } else if (m.certificate) {
      byDer.push({ der: m.certificate.der, ...entry });
    }
  });
  const rules = (options.manyToOne ?? []).map((r, i) => compileRule(r, i));
  const requireMapping = options.requireMapping ?? true;

  return Object.freeze({
    map(certificate: Certificate | undefined): MappedAccount | undefined {
      if (!certificate) {
        if (!requireMapping) return undefined;
        throw new CertificateError('CertificateRequired', 'identity mapping needs a certificate');
      }
      const one =
        byDer.find((m) => m.der.equals(certificate.der)) ??
        byThumbprint.get(certificate.thumbprintSha256) ??
        byThumbprint.get(certificate.thumbprintSha1.toString('hex'));
      if (one) return { account: one.account, roles: one.roles, rule: one.rule };
      for (const rule of rules) {
        if (!rule.test(certificate)) continue;
        if (rule.deny) {
          throw reject(
            'AuthenticationFailed',
            `certificate ${certificate.subject} is refused by mapping rule ${rule.name}`,
          );
        }
        return { account: rule.account, roles: rule.roles, rule: rule.name };
      }
      if (!requireMapping) return undefined;
      throw reject(
        'AuthenticationFailed',
        `certificate ${certificate.subject} (${certificate.thumbprintSha256}) maps to no account`,
      );
    },
    mapPrincipal(principal: string): MappedAccount | undefined {
      const one = byPrincipal.get(principal);
      if (one) return { account: one.account, roles: one.roles, rule: one.rule };
      for (const rule of rules) {
        if (!rule.principalTest?.(principal)) continue;
        if (rule.deny) {
          throw reject(
            'AuthenticationFailed',
            `${principal} is refused by mapping rule ${rule.name}`,
          );
        }
        return { account: rule.account, roles: rule.roles, rule: rule.name };
      }
      if (!requireMapping) return undefined;
      throw reject('AuthenticationFailed', `${principal} maps to no account`);
    },
  });
}

function compileRule(rule: ManyToOneRule, index: number): CompiledRule {
  const name = rule.name ?? `many-to-one:${index}`;
  const deny = rule.action === 'deny';
  if (rule.action !== undefined && rule.action !== 'allow' && !deny) {
    throw new TypeError(`${name}: action is allow or deny`);
  }
  if (!deny && (rule.account === undefined || rule.account === '')) {
    throw new TypeError(`${name}: an allow rule needs an account`);
  }
  const tests: ((cert: Certificate) => boolean)[] = [];
  for (const [attr, pattern] of Object.entries(rule.issuer ?? {})) {
    const re = compilePattern(pattern);
    tests.push((c) => c.parsed.issuerName.getField(attr).some((v) => re.test(fold(v))));
  }
  for (const [attr, pattern] of Object.entries(rule.subject ?? {})) {
    const re = compilePattern(pattern);
    tests.push((c) => c.parsed.subjectName.getField(attr).some((v) => re.test(fold(v))));
  }
  if (rule.upn !== undefined) {
    const re = compilePattern(rule.upn);
    tests.push((c) => describeIdentity(c).upns.some((v) => re.test(fold(v))));
  }
  if (rule.email !== undefined) {
    const re = compilePattern(rule.email);
    tests.push((c) => {
      const emails = describeIdentity(c).emails;
      const all = emails.length > 0 ? emails : c.parsed.subjectName.getField('E');
      return all.some((v) => re.test(fold(v)));
    });
  }
  let principalTest: ((principal: string) => boolean) | undefined;
  if (rule.principal !== undefined) {
    if (tests.length > 0) {
      throw new TypeError(`${name}: a principal rule cannot also have certificate conditions`);
    }
    // Kerberos names are case-sensitive (QUEUE.TEST and queue.test are different realms).
    const re = compilePattern(rule.principal, true);
    principalTest = (p) => re.test(p);
  } else if (tests.length === 0) {
    throw new TypeError(`${name}: a rule needs at least one condition`);
  }
  return {
    name,
    deny,
    account: rule.account ?? '',
    roles: [...(rule.roles ?? [])],
    test: (cert) => principalTest === undefined && tests.every((t) => t(cert)),
    principalTest,
  };
}

function fold(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

function compilePattern(pattern: string, exact = false): RegExp {
  const body = (exact ? pattern : fold(pattern))
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
