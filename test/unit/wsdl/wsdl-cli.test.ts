/** `wsseq secure|open --wsdl`: the policy from the contract, on both sides. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsonLine, useCliFixture } from '../cli/harness.js';

const cli = useCliFixture();
const WSDL = fileURLToPath(new URL('../../../wsdl/order-service.wsdl', import.meta.url));

describe('--wsdl', () => {
  it('secures and opens with the binding policy', async () => {
    const out = await cli.secure('certificate.xml', [
      '--wsdl',
      WSDL,
      '--binding',
      'OrderQueue_Certificate',
    ]);
    const r = await cli.open(out, ['--wsdl', WSDL, '--binding', 'OrderQueue_Certificate']);
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({ ok: true, encrypted: ['Body'] });
  });

  it('the receiver refuses a message that does not meet the contract', async () => {
    const signed = await cli.secure('signed.xml', ['--sign-only']);
    const r = await cli.open(signed, ['--wsdl', WSDL, '--binding', 'OrderQueue_Certificate']);
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({ ok: false, code: 'PolicyViolation' });
    const gcm = await cli.secure('gcm.xml');
    const wrongSuite = await cli.open(gcm, ['--wsdl', WSDL, '--binding', 'OrderQueue_Certificate']);
    expect(jsonLine(wrongSuite)).toMatchObject({ ok: false, code: 'UnsupportedAlgorithm' });
  });

  it('a binding that does not exist is a usage error; another credential type a warning', async () => {
    const r = await cli.run([
      'secure',
      '--in',
      'envelope.xml',
      '--cert',
      'client.pem',
      '--key',
      'client.key',
      '--service-cert',
      'service.pem',
      '--wsdl',
      WSDL,
      '--binding',
      'Nope',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no binding "Nope"/);
    const w = await cli.run([
      'secure',
      '--in',
      'envelope.xml',
      '--cert',
      'client.pem',
      '--key',
      'client.key',
      '--service-cert',
      'service.pem',
      '--wsdl',
      WSDL,
      '--binding',
      'OrderQueue_IssuedToken',
    ]);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/asks for a IssuedToken credential/);
  });
});
