/**
 * A throwaway MIT Kerberos realm, for tests and the demo: its own kdc.conf and krb5.conf
 * (KRB5_CONFIG, KRB5_KDC_PROFILE) in one directory, `kdb5_util create -s`, principals and
 * keytabs by `kadmin.local` (the caller's `populate`), `krb5kdc` on a random free 127.0.0.1
 * port (TCP only for clients: udp_preference_limit = 1), `kinit` into a FILE: ccache; the KDC
 * is stopped by PID. Never for production: the master password is fixed and the database
 * lives beside the keytabs.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = {
  kdb5: '/usr/sbin/kdb5_util',
  kadmin: '/usr/sbin/kadmin.local',
  krb5kdc: '/usr/sbin/krb5kdc',
  kinit: '/usr/bin/kinit',
};

/** The AES key/salt types a realm's principals get by default. */
export const AES_KEYSALTS: readonly string[] = [
  'aes256-cts-hmac-sha1-96:normal',
  'aes128-cts-hmac-sha1-96:normal',
  'aes256-cts-hmac-sha384-192:normal',
  'aes128-cts-hmac-sha256-128:normal',
];

/** How to install what a realm needs (Debian / Ubuntu). */
export const KRB5_INSTALL_HINT = 'apt-get install krb5-kdc krb5-admin-server krb5-user';

/** Why a realm cannot be started here (missing MIT binaries), or undefined when it can. */
export function krb5Unavailable(): string | undefined {
  const missing = Object.values(BIN).filter((b) => !existsSync(b));
  return missing.length > 0
    ? `MIT Kerberos binaries missing (${missing.join(', ')}): ${KRB5_INSTALL_HINT}`
    : undefined;
}

export interface Krb5RealmOptions {
  readonly realm: string;
  /** The realm's directory, emptied first. Default: a fresh temporary directory. */
  readonly dir?: string;
  /** Let clients use rc4-hmac (the legacy-enctype tests). Default false. */
  readonly allowRc4?: boolean;
  /** Create principals and keytabs (before the KDC starts). */
  populate(kadmin: (query: string) => string, dir: string): void;
}

export interface Krb5Realm {
  readonly dir: string;
  readonly port: number;
  /** The KDC's process id. */
  readonly pid: number | undefined;
  /** Environment for krb5 tools and for wsseq's initiator (KRB5_CONFIG, KRB5_KDC_PROFILE...). */
  readonly env: NodeJS.ProcessEnv;
  readonly kdcAddress: string;
  /** Run kadmin.local with a query. */
  readonly kadmin: (query: string) => string;
  /** `kinit -k -t keytab principal` into the FILE: cache `ccache`. */
  readonly kinit: (keytab: string, principal: string, ccache: string) => void;
  /** Stop the KDC (by PID); removes the directory when it was a temporary one. */
  readonly stop: () => Promise<void>;
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

function writeConfigs(dir: string, realm: string, port: number, allowRc4: boolean): void {
  const kdc = `127.0.0.1:${String(port)}`;
  writeFileSync(
    join(dir, 'kdc.conf'),
    `[kdcdefaults]
 kdc_listen = ${kdc}
 kdc_tcp_listen = ${kdc}
[realms]
 ${realm} = {
  database_name = ${dir}/principal
  key_stash_file = ${dir}/stash
  acl_file = ${dir}/kadm5.acl
  max_life = 10h
  max_renewable_life = 1d
  master_key_type = aes256-cts-hmac-sha1-96
  supported_enctypes = ${AES_KEYSALTS.join(' ')}
 }
[logging]
 kdc = FILE:${dir}/kdc.log
`,
  );
  writeFileSync(
    join(dir, 'krb5.conf'),
    `[libdefaults]
 default_realm = ${realm}
 dns_canonicalize_hostname = false
 rdns = false
 dns_lookup_kdc = false
 dns_lookup_realm = false
 udp_preference_limit = 1
${
  allowRc4
    ? ` allow_rc4 = true
 permitted_enctypes = aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 arcfour-hmac
`
    : ''
}[realms]
 ${realm} = {
  kdc = ${kdc}
 }
[domain_realm]
 .example = ${realm}
`,
  );
  writeFileSync(join(dir, 'kadm5.acl'), '');
}

/** Create the realm, populate it and start its KDC. Call `stop()` when done (also on failure). */
export async function startKrb5Realm(options: Krb5RealmOptions): Promise<Krb5Realm> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'wsseq-krb5-'));
  if (!temporary) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const { realm } = options;
  const port = await freePort();
  writeConfigs(dir, realm, port, options.allowRc4 === true);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KRB5_CONFIG: join(dir, 'krb5.conf'),
    KRB5_KDC_PROFILE: join(dir, 'kdc.conf'),
    KRB5RCACHEDIR: dir,
    KRB5_TRACE: join(dir, 'trace.log'),
  };
  const run = (bin: string, args: readonly string[]): string =>
    execFileSync(bin, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const kadmin = (query: string): string => run(BIN.kadmin, ['-r', realm, '-q', query]);
  run(BIN.kdb5, ['-r', realm, 'create', '-s', '-P', 'master-password-for-a-throwaway-realm']);
  options.populate(kadmin, dir);

  const child = spawn(BIN.krb5kdc, ['-n', '-r', realm, '-P', join(dir, 'kdc.pid')], {
    env,
    stdio: 'ignore',
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 15_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    dir,
    port,
    pid: child.pid,
    env,
    kdcAddress: `127.0.0.1:${String(port)}`,
    kadmin,
    kinit: (keytab, principal, ccache) => {
      run(BIN.kinit, ['-k', '-t', keytab, '-c', `FILE:${ccache}`, principal]);
    },
    stop,
  };
}
