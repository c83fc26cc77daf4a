/**
 * A throwaway MIT Kerberos realm for tests: QUEUE.TEST in a temporary directory, its own
 * kdc.conf and krb5.conf (KRB5_CONFIG, KRB5_KDC_PROFILE), `kdb5_util create -s`, principals
 * and keytabs by `kadmin.local`, `krb5kdc` on a random free 127.0.0.1 port (TCP only for the
 * clients: udp_preference_limit = 1), `kinit` into a private ccache; stopped by PID.
 *
 * Tests skip (with a message) only when the krb5 binaries are absent; `.ci/setup --test`
 * installs krb5-kdc, krb5-admin-server, krb5-user and python3-gssapi.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

const BIN = {
  kdb5: '/usr/sbin/kdb5_util',
  kadmin: '/usr/sbin/kadmin.local',
  krb5kdc: '/usr/sbin/krb5kdc',
  kinit: '/usr/bin/kinit',
};

const AES = [
  'aes256-cts-hmac-sha1-96:normal',
  'aes128-cts-hmac-sha1-96:normal',
  'aes256-cts-hmac-sha384-192:normal',
  'aes128-cts-hmac-sha256-128:normal',
];
const ENCTYPE_KEYSALT: Readonly<Record<number, string>> = {
  17: 'aes128-cts-hmac-sha1-96:normal',
  18: 'aes256-cts-hmac-sha1-96:normal',
  19: 'aes128-cts-hmac-sha256-128:normal',
  20: 'aes256-cts-hmac-sha384-192:normal',
};

/** Why Kerberos tests cannot run here, or undefined when they can. */
export function krb5Unavailable(): string | undefined {
  const missing = Object.values(BIN).filter((b) => !existsSync(b));
  return missing.length > 0
    ? `MIT Kerberos binaries missing (${missing.join(', ')}): apt-get install krb5-kdc krb5-admin-server krb5-user`
    : undefined;
}

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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`krb5kdc exited with ${String(child.exitCode)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => {
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('krb5kdc did not start listening');
}

/** Create and start the realm. Call `stop()` in afterAll. */
export async function startTestRealm(): Promise<TestRealm> {
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-krb5-'));
  const port = await freePort();
  const kdcConf = join(dir, 'kdc.conf');
  const krb5Conf = join(dir, 'krb5.conf');
  writeFileSync(
    kdcConf,
    `[kdcdefaults]
 kdc_listen = 127.0.0.1:${String(port)}
 kdc_tcp_listen = 127.0.0.1:${String(port)}
[realms]
 ${REALM} = {
  database_name = ${dir}/principal
  key_stash_file = ${dir}/stash
  acl_file = ${dir}/kadm5.acl
  max_life = 10h
  max_renewable_life = 1d
  master_key_type = aes256-cts-hmac-sha1-96
  supported_enctypes = ${AES.join(' ')}
 }
[logging]
 kdc = FILE:${dir}/kdc.log
`,
  );
  writeFileSync(
    krb5Conf,
    `[libdefaults]
 default_realm = ${REALM}
 dns_canonicalize_hostname = false
 rdns = false
 dns_lookup_kdc = false
 dns_lookup_realm = false
 udp_preference_limit = 1
 allow_rc4 = true
 permitted_enctypes = aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 arcfour-hmac
[realms]
 ${REALM} = {
  kdc = 127.0.0.1:${String(port)}
 }
[domain_realm]
 .example = ${REALM}
`,
  );
  writeFileSync(join(dir, 'kadm5.acl'), '');
  const ccache = join(dir, 'alice.ccache');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KRB5_CONFIG: krb5Conf,
    KRB5_KDC_PROFILE: kdcConf,
    KRB5CCNAME: `FILE:${ccache}`,
    KRB5_KTNAME: `FILE:${join(dir, 'service.keytab')}`,
    KRB5RCACHEDIR: dir,
    KRB5_TRACE: join(dir, 'trace.log'),
  };
  const run = (bin: string, args: readonly string[]): string =>
    execFileSync(bin, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const kadmin = (query: string): string => run(BIN.kadmin, ['-r', REALM, '-q', query]);
  run(BIN.kdb5, ['-r', REALM, 'create', '-s', '-P', 'master-password-for-tests']);
  kadmin(`addprinc -pw alice-password-1 ${CLIENT}`);
  kadmin(`addprinc -randkey -e "${AES.join(' ')}" ${SERVICE}`);
  for (const [etype, name] of Object.entries(SERVICE_BY_ENCTYPE)) {
    kadmin(`addprinc -randkey -e "${ENCTYPE_KEYSALT[Number(etype)] ?? ''}" ${name}`);
  }
  kadmin(`addprinc -randkey -e "arcfour-hmac:normal" ${RC4_SERVICE}`);
  kadmin(`setstr ${RC4_SERVICE} session_enctypes aes256-cts-hmac-sha1-96`);
  kadmin(`addprinc -randkey -maxlife "1 minute" -e "${AES.join(' ')}" ${SHORT_SERVICE}`);
  kadmin(`addprinc -randkey -e "${AES.join(' ')}" ${OTHER_SERVICE}`);
  const serviceKeytab = join(dir, 'service.keytab');
  const otherKeytab = join(dir, 'other.keytab');
  const clientKeytab = join(dir, 'alice.keytab');
  const services = [SERVICE, ...Object.values(SERVICE_BY_ENCTYPE), RC4_SERVICE, SHORT_SERVICE];
  kadmin(`ktadd -norandkey -k ${serviceKeytab} ${services.join(' ')}`);
  kadmin(`ktadd -norandkey -k ${otherKeytab} ${OTHER_SERVICE}`);
  kadmin(`ktadd -norandkey -k ${clientKeytab} ${CLIENT}`);

  const pidFile = join(dir, 'kdc.pid');
  const child = spawn(BIN.krb5kdc, ['-n', '-r', REALM, '-P', pidFile], { env, stdio: 'ignore' });
  try {
    await waitForPort(port, child, 15_000);
    run(BIN.kinit, ['-k', '-t', clientKeytab, '-c', `FILE:${ccache}`, CLIENT]);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return {
    dir,
    port,
    env,
    ccache,
    clientKeytab,
    serviceKeytab,
    otherKeytab,
    kdcAddress: `127.0.0.1:${String(port)}`,
    kadmin,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
