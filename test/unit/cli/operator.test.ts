/**
 * The CLI as an operator's tool (issue 11 items 8 and 9): it says why, suggests what was
 * meant, warns before a message is sent that a service will refuse, and prints only what was
 * asked for.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_PEM, NOW, PASS_ENV, jsonLine, useCliFixture } from './harness.js';

const cli = useCliFixture();
const SIGN = ['secure', '--in', 'envelope.xml', ...CLIENT_PEM, '--sign-only', '--now', NOW];

describe('say why (item 8)', () => {
  it('open: a DecryptionFailed after CBC carries its cause in the JSON message and "cause"', async () => {
    // A CBC message with a tampered signature: the library answers the uniform
    // DecryptionFailed (no padding oracle); the operator sees the reason behind it.
    const wire = await cli.secure('cbc.xml', ['--suite', 'Basic256Sha256']);
    const tampered = cli.path('cbc-tampered.xml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(
      tampered,
      readFileSync(wire, 'utf8').replace(
        /(<ds:SignatureValue>)(.)/,
        (_m, tag: string, c: string) => `${tag}${c === 'A' ? 'B' : 'A'}`,
      ),
    );
    const json = jsonLine(await cli.open(tampered, ['--suite', 'Basic256Sha256']));
    expect(json).toMatchObject({ ok: false, code: 'DecryptionFailed', cause: 'SignatureInvalid' });
    expect(String(json.message).split(': ').length).toBeGreaterThan(1);
  });

  it('open: an encrypted message without --service-key says no service key was given', async () => {
    const wire = await cli.secure('enc.xml');
    const withKey = jsonLine(await cli.open(wire));
    expect(withKey.ok).toBe(true);
    const r = await cli.run([
      'open',
      '--in',
      wire,
      '--trust',
      'root.pem',
      '--intermediate',
      'intermediate.pem',
      '--now',
      NOW,
    ]);
    const json = jsonLine(r);
    expect(json).toMatchObject({ ok: false, code: 'DecryptionFailed' });
    expect(String(json.message)).toContain('--service-key');
  });

  it('secure: a refused input names the cause with the line and column', async () => {
    writeFileSync(
      cli.path('broken.xml'),
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n<soap:Body>\n  <m:Order xmlns:m="urn:x">\n  </m:Wrong>\n</soap:Body></soap:Envelope>`,
    );
    const r = await cli.run(['secure', '--in', 'broken.xml', ...CLIENT_PEM, '--sign-only']);
    expect(r.code).toBe(2);
    // xmldom locates a mismatched end tag at its element's start tag.
    expect(r.stderr).toMatch(/\(line [34], column \d+\)/);
    expect(r.stderr).toContain('--in broken.xml');
    writeFileSync(cli.path('not-soap.xml'), '<order/>');
    const notSoap = await cli.run(['secure', '--in', 'not-soap.xml', ...CLIENT_PEM, '--sign-only']);
    expect(notSoap.code).toBe(2);
    expect(notSoap.stderr).toContain('Envelope');
    expect(notSoap.stderr).not.toMatch(/line \d+/);
  });
});

describe('small things (item 9)', () => {
  it('an unknown command points at "wsseq --help"; a typo gets "did you mean"', async () => {
    const unknown = await cli.run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"wsseq --help"');
    expect(unknown.stderr).not.toContain('frobnicate --help');
    expect(unknown.stderr).not.toContain('did you mean');
    const typo = await cli.run(['opne', '--in', 'x.xml']);
    expect(typo.stderr).toContain('did you mean open?');
  });

  it('a mistyped flag gets "did you mean"; an unrelated one does not', async () => {
    const typo = await cli.run(['open', '--in', 'envelope.xml', '--trsut', 'root.pem']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean --trust?');
    const far = await cli.run(['open', '--in', 'envelope.xml', '--zzzzzzzz']);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('--zzzzzzzz');
    expect(far.stderr).not.toContain('did you mean');
  });

  it('secure with an expired client certificate warns (exit 0); --strict refuses (exit 2)', async () => {
    const expired = ['--cert', 'expiredClient.pem', '--key', 'expiredClient.key'];
    const args = ['secure', '--in', 'envelope.xml', ...expired, '--sign-only', '--now', NOW];
    const warned = await cli.run(args);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^wsseq: warning: .*CertificateExpired/m);
    expect(warned.stdout).toContain('Envelope');
    const strict = await cli.run([...args, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    const valid = await cli.run([...SIGN, '--strict']);
    expect(valid.code).toBe(0);
    expect(valid.stderr).toBe('');
  });

  it('--pfx without a passphrase names --passphrase-env; a wrong one does not', async () => {
    const pfx = ['secure', '--in', 'envelope.xml', '--pfx', 'client.p12', '--sign-only'];
    const none = await cli.run(pfx);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--passphrase-env');
    const wrong = await cli.run([...pfx, '--passphrase-env', 'P'], { P: 'wrong' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).not.toContain('no passphrase was given');
    const right = await cli.run([...pfx, '--passphrase-env', 'WSSEQ_TEST_PASS'], PASS_ENV);
    expect(right.code).toBe(0);
  });

  it('--crl with a file that is not a CRL names the file (open and doctor)', async () => {
    const open = await cli.run([
      'open',
      '--in',
      'envelope.xml',
      '--trust',
      'root.pem',
      '--crl',
      'root.pem',
    ]);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('--crl root.pem');
    const doctor = await cli.run(['doctor', '--cert', 'client.pem', '--crl', 'client.key']);
    expect(doctor.code).toBe(2);
    expect(doctor.stderr).toContain('--crl client.key');
    const good = await cli.run([
      'doctor',
      '--cert',
      'client.pem',
      '--trust',
      'root.pem',
      '--intermediate',
      'intermediate.pem',
      '--crl',
      'crlRoot.pem',
      '--crl',
      'crlIntermediate.pem',
      '--now',
      NOW,
    ]);
    expect(good.stderr).toBe('');
  });

  it('doctor without --trust does not say "usable": trust was not checked', async () => {
    const args = ['doctor', '--cert', 'client.pem', '--key', 'client.key', '--now', NOW];
    const r = await cli.run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Verdict: usable/);
    expect(r.stdout).toMatch(/trust was not checked/);
    const json = JSON.parse((await cli.run([...args, '--json'])).stdout) as Record<string, unknown>;
    expect(json.trustChecked).toBe(false);
    const trusted = await cli.run([
      ...args,
      '--trust',
      'root.pem',
      '--intermediate',
      'intermediate.pem',
    ]);
    expect(trusted.stdout).toMatch(/Verdict: usable as a client certificate/);
  });

  it('every command of this area documents exit status 3 in --help', async () => {
    for (const command of ['secure', 'open', 'doctor', 'sts', 'users']) {
      const r = await cli.run([command, '--help']);
      expect(r.stdout).toMatch(/Exit status:[\s\S]*3 unexpected\s+failure/);
    }
    expect((await cli.run(['--help'])).stdout).toMatch(/3 unexpected\s+failure/);
  });

  it('open --no-body and --no-envelope leave them out of the JSON', async () => {
    const wire = await cli.secure('trim.xml');
    const full = jsonLine(await cli.open(wire));
    expect(full).toHaveProperty('body');
    expect(full).toHaveProperty('envelope');
    const noBody = jsonLine(await cli.open(wire, ['--no-body']));
    expect(noBody).not.toHaveProperty('body');
    expect(noBody).toHaveProperty('envelope');
    const neither = jsonLine(await cli.open(wire, ['--no-body', '--no-envelope']));
    expect(neither).not.toHaveProperty('body');
    expect(neither).not.toHaveProperty('envelope');
    expect(neither).toMatchObject({ ok: true, credential: 'Certificate' });
  });
});

describe('secure limits (item 8)', () => {
  /** An order envelope whose Body nests `depth` elements. */
  function deepEnvelope(depth: number): string {
    return (
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
      '<d>'.repeat(depth) +
      '</d>'.repeat(depth) +
      `</soap:Body></soap:Envelope>`
    );
  }

  it('an input over a limit names the flags; raising the limit secures it', async () => {
    writeFileSync(cli.path('deep.xml'), deepEnvelope(80));
    const args = ['secure', '--in', 'deep.xml', ...CLIENT_PEM, '--sign-only', '--now', NOW];
    const refused = await cli.run(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--max-depth');
    const raised = await cli.run([...args, '--max-depth', '100']);
    expect(raised.stderr).toBe('');
    expect(raised.code).toBe(0);
    expect(raised.stdout).toContain('<d><d>');
  });

  it('a smaller limit refuses what the default accepts; bad values are usage errors', async () => {
    const small = await cli.run([...SIGN, '--max-bytes', '100']);
    expect(small.code).toBe(2);
    expect(small.stderr).toContain('--max-bytes');
    for (const bad of ['0', '-1', '1.5', 'lots']) {
      const r = await cli.run([...SIGN, '--max-elements', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--max-elements');
    }
  });
});

describe('open --understood-header (item 3)', () => {
  it('a mustUnderstand header is MustUnderstand unless declared understood', async () => {
    writeFileSync(
      cli.path('mu.xml'),
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:example:orders">` +
        `<soap:Header><m:Route soap:mustUnderstand="1">queue-a</m:Route></soap:Header>` +
        `<soap:Body><m:PlaceOrder/></soap:Body></soap:Envelope>`,
    );
    const r = await cli.run([
      'secure',
      '--in',
      'mu.xml',
      '--out',
      'mu.secured.xml',
      ...CLIENT_PEM,
      '--service-cert',
      'service.pem',
      '--now',
      NOW,
    ]);
    expect(r.code).toBe(0);
    const refused = jsonLine(await cli.open('mu.secured.xml'));
    expect(refused).toMatchObject({
      ok: false,
      code: 'MustUnderstand',
      fault: 'soap:MustUnderstand',
    });
    const understood = ['--understood-header', '{urn:example:orders}Route'];
    expect(jsonLine(await cli.open('mu.secured.xml', understood))).toMatchObject({ ok: true });
    const bad = await cli.open('mu.secured.xml', ['--understood-header', 'm:Route']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--understood-header');
  });
});
