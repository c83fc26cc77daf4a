/**
 * The demo's Windows credential: a throwaway MIT realm (WSSEQ.DEMO) in `<dir>/krb5` with a
 * user and the orders service, a service ticket for the user from its KDC, and the service's
 * keytab. Only when the MIT binaries are installed; otherwise the reason and how to get them.
 */
import { join } from 'node:path';
import { KRB5_INSTALL_HINT, krb5Unavailable, startKrb5Realm } from '../dev/krb5-realm.js';
import type { Krb5Realm } from '../dev/krb5-realm.js';
import { acquireServiceTicket } from '../kerberos/initiator.js';
import type { DemoKerberosService } from './services.js';
import type { DemoKerberosSender } from './steps.js';

export const DEMO_REALM = 'WSSEQ.DEMO';
const CLIENT = `alice@${DEMO_REALM}`;
const SERVICE = `HTTP/orders.example@${DEMO_REALM}`;

export interface DemoKerberos {
  readonly realm: Krb5Realm;
  readonly service: DemoKerberosService;
  readonly sender: DemoKerberosSender;
}

/** Why the Windows credential is skipped, or the running realm (stop it when done). */
export async function startDemoKerberos(
  dir: string,
): Promise<{ readonly skipped: string } | DemoKerberos> {
  if (krb5Unavailable() !== undefined) {
    return { skipped: `MIT Kerberos is not installed (${KRB5_INSTALL_HINT})` };
  }
  const keytab = join(dir, 'krb5', 'orders.keytab');
  const clientKeytab = join(dir, 'krb5', 'alice.keytab');
  const realm = await startKrb5Realm({
    realm: DEMO_REALM,
    dir: join(dir, 'krb5'),
    populate(kadmin) {
      kadmin(`addprinc -randkey ${CLIENT}`);
      kadmin(`addprinc -randkey ${SERVICE}`);
      kadmin(`ktadd -k ${keytab} ${SERVICE}`);
      kadmin(`ktadd -k ${clientKeytab} ${CLIENT}`);
    },
  });
  try {
    const ccache = join(realm.dir, 'alice.ccache');
    realm.kinit(clientKeytab, CLIENT, ccache);
    const ticket = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      credentialCache: ccache,
      env: realm.env,
    });
    return {
      realm,
      service: { keytab, servicePrincipal: SERVICE },
      sender: { client: CLIENT, ticket },
    };
  } catch (err) {
    await realm.stop();
    throw err;
  }
}
