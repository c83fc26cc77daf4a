/**
 * The independent peer both ways, MIT's GSS-API through Debian's python3-gssapi:
 * - MIT initiates (gss_init_sec_context, integrity, no mutual; the context key by
 *   GSS_C_INQ_SSPI_SESSION_KEY), wsseq secures a message with that token and key, and
 *   wsseq's acceptor opens it;
 * - wsseq's initiator makes the token, MIT's gss_accept_sec_context accepts it with the
 *   keytab and reports the same initiator and the same key.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKerberosSecurer } from '../../src/credentials/kerberos-secure.js';
import { kerberosAuthenticator } from '../../src/credentials/kerberos.js';
import { acquireServiceTicket, createApReq } from '../../src/kerberos/initiator.js';
import { createOpener } from '../../src/open/open-envelope.js';
import { orderEnvelope } from '../helpers.js';
import {
  CLIENT,
  SERVICE,
  krb5Unavailable,
  pythonGssapiAvailable,
  startTestRealm,
} from './realm.js';
import type { TestRealm } from './realm.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'interop', 'kerberos_gss.py');
const skip =
  krb5Unavailable() ??
  (pythonGssapiAvailable() ? undefined : 'python3-gssapi missing: apt-get install python3-gssapi');
if (skip) console.warn(`skipping Kerberos GSS-API interop tests: ${skip}`);

interface GssResult {
  readonly token?: string;
  readonly initiator?: string;
  readonly key: string;
  readonly enctype: number | null;
  readonly complete: boolean;
}

describe.skipIf(skip !== undefined)('Kerberos interop with MIT GSS-API (python3-gssapi)', () => {
  let realm: TestRealm;
  const gss = (args: readonly string[], input?: string): GssResult =>
    JSON.parse(
      execFileSync('/usr/bin/python3', [SCRIPT, ...args], {
        env: realm.env,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(input === undefined ? {} : { input }),
      }),
    ) as GssResult;
  beforeAll(async () => {
    realm = await startTestRealm();
    process.env.KRB5_CONFIG = realm.env.KRB5_CONFIG;
  });
  afterAll(async () => {
    await realm.stop();
  });

  it('MIT initiates, wsseq secures with that token and key, wsseq accepts', async () => {
    const made = gss(['init', SERVICE]);
    // No mutual authentication: the context is complete after the first token.
    expect(made.complete).toBe(true);
    const token = Buffer.from(made.token ?? '', 'base64');
    const key = { enctype: made.enctype ?? 0, value: Buffer.from(made.key, 'base64') };
    const wire = createKerberosSecurer({ apReq: () => ({ token, key }) }).secure(orderEnvelope());
    const opener = createOpener({
      credentials: [
        kerberosAuthenticator({ keytab: realm.serviceKeytab, servicePrincipal: SERVICE }),
      ],
      policy: { maxMessageAgeSeconds: 3600, credentialValidation: 'AtSignedTime' },
    });
    const { context } = await opener.open(wire);
    expect(context.identity.name).toBe(CLIENT);
    expect(context.encrypted).toContain('Body');
  });

  it('wsseq initiates, MIT accepts with the keytab and inquires the same key', async () => {
    const ticket = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      credentialCache: realm.ccache,
    });
    const made = createApReq(ticket);
    const accepted = gss(['accept'], made.token.toString('base64'));
    expect(accepted.complete).toBe(true);
    expect(accepted.initiator).toBe(CLIENT);
    expect(Buffer.from(accepted.key, 'base64').equals(made.key.value)).toBe(true);
    expect(accepted.enctype).toBe(made.key.enctype);
  });

  it('MIT refuses a second delivery of the same token ("Request is a replay"): why queues need our rules', async () => {
    const ticket = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      credentialCache: realm.ccache,
    });
    const token = createApReq(ticket).token.toString('base64');
    gss(['accept'], token);
    expect(() => gss(['accept'], token)).toThrow();
  });
});
