/**
 * Fetch a token from the sample STS over mutual TLS and secure a SOAP message with it
 * (holder-of-key: signed with the same client key), then open it as the service would.
 *
 *   node --import tsx samples/sts/client.ts [--sts https://localhost:8443] [--dir samples/sts/.dev]
 *     [--audience urn:example:orders] [--issuer https://localhost:8443/] [--out message.xml]
 */
import { createPrivateKey } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  issuedTokenAuthenticator,
  issuedTokenCredential,
} from '../../src/credentials/issued-jwt.js';
import { Certificate, createOpener, createSecurer } from 'wsseq';
import { ensureDevFiles } from './dev-files.js';
import { fetchToken } from './fetch-token.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    sts: { type: 'string', default: 'https://localhost:8443' },
    dir: { type: 'string', default: join(here, '.dev') },
    audience: { type: 'string', default: 'urn:example:orders' },
    issuer: { type: 'string' },
    out: { type: 'string' },
  },
});

const files = await ensureDevFiles(values.dir);
const { token, expiresAt } = await fetchToken({
  url: values.sts,
  audience: values.audience,
  ca: files.ca,
  certificate: files.pem.client.certificate,
  key: files.pem.client.key,
});
console.log(`token (expires ${expiresAt}): ${token.slice(0, 40)}...`);

const client = Certificate.fromPem(files.pem.client.certificate);
const service = Certificate.fromPem(files.pem.service.certificate);
const envelope =
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
  '<soap:Body><PlaceOrder xmlns="urn:example:orders"><Item>widget</Item></PlaceOrder></soap:Body>' +
  '</soap:Envelope>';
const wire = createSecurer({
  credential: issuedTokenCredential({
    token,
    certificate: client,
    privateKey: createPrivateKey(files.pem.client.key),
  }),
  serviceCertificate: service,
}).secure(envelope);
if (values.out !== undefined) await writeFile(values.out, wire);

// What the service does with it (it holds its key and trusts the STS certificate).
const opener = createOpener({
  serviceKeys: [{ certificate: service, privateKey: createPrivateKey(files.pem.service.key) }],
  credentials: [
    issuedTokenAuthenticator({
      trustedIssuers: [
        {
          issuer: values.issuer ?? `${new URL(values.sts).origin}/`,
          certificates: [Certificate.fromPem(files.pem.sts.certificate)],
        },
      ],
      audience: values.audience,
    }),
  ],
});
const { context } = await opener.open(wire);
console.log(
  JSON.stringify(
    {
      credential: context.credentialType,
      identity: context.identity.name,
      claims: context.identity.claims,
    },
    null,
    2,
  ),
);
