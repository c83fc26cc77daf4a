/**
 * A throwaway MIT Kerberos realm for tests: QUEUE.TEST in a temporary directory, its own
 * kdc.conf and krb5.conf (KRB5_CONFIG, KRB5_KDC_PROFILE), `kdb5_util create -s`, principals
 * and keytabs by `kadmin.local`, `krb5kdc` on a random free 127.0.0.1 port (TCP only for the
 * clients: udp_preference_limit = 1), `kinit` into a private ccache; stopped by PID.
 *
 * Tests skip (with a message) only when the krb5 binaries are absent; `.ci/setup --test`
 * installs krb5-kdc, krb5-admin-server, krb5-user and python3-gssapi.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AES_KEYSALTS, krb5Unavailable, startKrb5Realm } from '../../src/dev/krb5-realm.js';

export { krb5Unavailable };

export const REALM = 'QUEUE.TEST';
export const CLIENT = `alice@${REALM}`;
export const SERVICE = `HTTP/queue-service.example@${REALM}`;
/** One service per AES enctype (ticket and session key of that type), for the enctype tests. */
export const SERVICE_BY_ENCTYPE: Readonly<Record<number, string>> = {
  17: `HTTP/aes128-sha1.example@${REALM}`,
  18: `HTTP/aes256-sha1.example@${REALM}`,
  19: `HTTP/aes128-sha2.example@${REALM}`,
  20: `HTTP/aes256-sha2.example@${REALM}`,
};
/** A service whose only key is rc4-hmac (session keys AES, so an initiator can still talk). */
export const RC4_SERVICE = `HTTP/legacy-rc4.example@${REALM}`;
/** A service whose tickets live one minute. */
export const SHORT_SERVICE = `HTTP/short-lived.example@${REALM}`;
/** Another service with its own keytab (the "wrong keytab" / "wrong service" cases). */
export const OTHER_SERVICE = `HTTP/other-service.example@${REALM}`;

const AES = AES_KEYSALTS;
const ENCTYPE_KEYSALT: Readonly<Record<number, string>> = {
  17: 'aes128-cts-hmac-sha1-96:normal',
  18: 'aes256-cts-hmac-sha1-96:normal',
  19: 'aes128-cts-hmac-sha256-128:normal',
  20: 'aes256-cts-hmac-sha384-192:normal',
};

/** Whether Debian's python3-gssapi is importable. */
export function pythonGssapiAvailable(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import gssapi'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface TestRealm {
  readonly dir: string;
  readonly port: number;
  /** Environment for krb5 tools and for our initiator (KRB5_CONFIG, KRB5CCNAME...). */
  readonly env: NodeJS.ProcessEnv;
  /** alice's ccache after kinit. */
  readonly ccache: string;
  /** alice's keytab (for the keytab initiator). */
  readonly clientKeytab: string;
  /** The service keytab (all SERVICE* principals except OTHER_SERVICE). */
  readonly serviceKeytab: string;
  /** OTHER_SERVICE's keytab only. */
  readonly otherKeytab: string;
  readonly kdcAddress: string;
  /** Run kadmin.local with a query. */
  kadmin(query: string): string;
  stop(): Promise<void>;
}

/** Create and start the realm. Call `stop()` in afterAll. */
export async function startTestRealm(): Promise<TestRealm> {
  const names = { service: '', other: '', client: '' };
  const realm = await startKrb5Realm({
    realm: REALM,
    allowRc4: true,
    populate(kadmin, dir) {
      kadmin(`addprinc -pw alice-password-1 ${CLIENT}`);
      kadmin(`addprinc -randkey -e "${AES.join(' ')}" ${SERVICE}`);
      for (const [etype, name] of Object.entries(SERVICE_BY_ENCTYPE)) {
        kadmin(`addprinc -randkey -e "${ENCTYPE_KEYSALT[Number(etype)] ?? ''}" ${name}`);
      }
      kadmin(`addprinc -randkey -e "arcfour-hmac:normal" ${RC4_SERVICE}`);
      kadmin(`setstr ${RC4_SERVICE} session_enctypes aes256-cts-hmac-sha1-96`);
      kadmin(`addprinc -randkey -maxlife "1 minute" -e "${AES.join(' ')}" ${SHORT_SERVICE}`);
      kadmin(`addprinc -randkey -e "${AES.join(' ')}" ${OTHER_SERVICE}`);
      names.service = join(dir, 'service.keytab');
      names.other = join(dir, 'other.keytab');
      names.client = join(dir, 'alice.keytab');
      const services = [SERVICE, ...Object.values(SERVICE_BY_ENCTYPE), RC4_SERVICE, SHORT_SERVICE];
      kadmin(`ktadd -norandkey -k ${names.service} ${services.join(' ')}`);
      kadmin(`ktadd -norandkey -k ${names.other} ${OTHER_SERVICE}`);
      kadmin(`ktadd -norandkey -k ${names.client} ${CLIENT}`);
    },
  });
  const ccache = join(realm.dir, 'alice.ccache');
  try {
    realm.kinit(names.client, CLIENT, ccache);
  } catch (err) {
    await realm.stop();
    throw err;
  }
  return {
    dir: realm.dir,
    port: realm.port,
    env: {
      ...realm.env,
      KRB5CCNAME: `FILE:${ccache}`,
      KRB5_KTNAME: `FILE:${names.service}`,
    },
    ccache,
    clientKeytab: names.client,
    serviceKeytab: names.service,
    otherKeytab: names.other,
    kdcAddress: realm.kdcAddress,
    kadmin: realm.kadmin,
    stop: realm.stop,
  };
}
