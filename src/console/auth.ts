/**
 * Who is asking: the console's two roles (viewer, operator), the tokens printed at start, the
 * sessions a token login opens, operator certificates over mutual TLS (validated with
 * wsseq's TrustStore), and the CSRF token bound to each session.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Certificate } from '../trust/certificate.js';
import type { TrustStore } from '../trust/validate.js';

export type Role = 'viewer' | 'operator';

/** An authenticated principal. */
export interface Principal {
  readonly role: Role;
  /** For the audit log: a certificate subject, or `token:<role>:<session prefix>`. */
  readonly who: string;
  /** What the CSRF token is bound to: the session id, or the certificate's thumbprint. */
  readonly binding: string;
}

/** The tokens printed at start. */
export interface ConsoleTokens {
  readonly viewer: string;
  readonly operator: string;
}

/** Fresh random tokens (256 bits each). */
export function generateTokens(): ConsoleTokens {
  return {
    viewer: randomBytes(32).toString('base64url'),
    operator: randomBytes(32).toString('base64url'),
  };
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

interface Session {
  readonly principal: Principal;
  expires: number;
}

/** Options of {@link createAuthority}. */
export interface AuthorityOptions {
  readonly tokens: ConsoleTokens;
  /** Mutual TLS: validates client certificates (purpose client). */
  readonly clientTrust?: TrustStore;
  /** Mutual TLS: SHA-256 thumbprints (hex) of the operators' certificates; others are viewers. */
  readonly operatorThumbprints?: readonly string[];
  /** Idle sessions end after this long. Default 8 hours. */
  readonly sessionTtlMs?: number;
  readonly now?: () => Date;
}

/** Sessions, logins, certificates and CSRF tokens. */
export interface Authority {
  /** The role a token grants, if any (constant-time comparison). */
  roleOfToken(token: string): Role | undefined;
  /** Open a session for `role`; returns its id (the cookie value). */
  openSession(role: Role): string;
  /** The principal of a session cookie, if it is live. */
  session(id: string | undefined): Principal | undefined;
  closeSession(id: string | undefined): void;
  /** The principal of a TLS client certificate (DER), if the trust store validates it. */
  certificate(der: Uint8Array): Promise<Principal | undefined>;
  /** The CSRF token of a principal. */
  csrfToken(principal: Principal): string;
  /** Whether `token` is the CSRF token of `principal`. */
  checkCsrf(principal: Principal, token: string | undefined): boolean;
}

/** Create the console's authority (holds the sessions in memory; a restart logs every one out). */
export function createAuthority(options: AuthorityOptions): Authority {
  const { tokens } = options;
  if (
    tokens.viewer.length < 16 ||
    tokens.operator.length < 16 ||
    tokens.viewer === tokens.operator
  ) {
    throw new TypeError('console tokens must be distinct and at least 16 characters');
  }
  const ttl = options.sessionTtlMs ?? 8 * 3_600_000;
  const clock = options.now ?? (() => new Date());
  const secret = randomBytes(32);
  const sessions = new Map<string, Session>();
  const operators = new Set((options.operatorThumbprints ?? []).map((t) => t.toLowerCase()));
  const csrfToken = (principal: Principal): string =>
    createHmac('sha256', secret).update(`csrf:${principal.binding}`).digest('base64url');
  return {
    roleOfToken(token: string): Role | undefined {
      if (sameSecret(token, tokens.operator)) return 'operator';
      if (sameSecret(token, tokens.viewer)) return 'viewer';
      return undefined;
    },
    openSession(role: Role): string {
      const id = randomBytes(32).toString('base64url');
      const principal: Principal = {
        role,
        who: `token:${role}:${id.slice(0, 8)}`,
        binding: `session:${id}`,
      };
      sessions.set(id, { principal, expires: clock().getTime() + ttl });
      return id;
    },
    session(id: string | undefined): Principal | undefined {
      if (id === undefined) return undefined;
      const found = sessions.get(id);
      const now = clock().getTime();
      if (!found || found.expires <= now) {
        if (found) sessions.delete(id);
        return undefined;
      }
      found.expires = now + ttl;
      return found.principal;
    },
    closeSession(id: string | undefined): void {
      if (id !== undefined) sessions.delete(id);
    },
    async certificate(der: Uint8Array): Promise<Principal | undefined> {
      const trust = options.clientTrust;
      if (!trust) return undefined;
      let cert: Certificate;
      try {
        cert = Certificate.fromDer(der);
        await trust.validate(cert, [], clock(), 'client');
      } catch {
        return undefined;
      }
      const thumbprint = cert.thumbprintSha256.toLowerCase();
      return {
        role: operators.has(thumbprint) ? 'operator' : 'viewer',
        who: cert.subject,
        binding: `certificate:${thumbprint}`,
      };
    },
    csrfToken,
    checkCsrf(principal: Principal, token: string | undefined): boolean {
      return token !== undefined && token !== '' && sameSecret(token, csrfToken(principal));
    },
  };
}
