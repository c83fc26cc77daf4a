/**
 * Run the sample STS:
 *
 *   node --import tsx samples/sts/server.ts [--dir samples/sts/.dev] [--port 8443]
 *     [--issuer https://localhost:8443/] [--audience urn:example:orders]... [--users users.json]
 *
 * On first run it creates a development PKI in --dir (see dev-files.ts).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readStsKey } from 'wsseq';
import { ensureDevFiles } from './dev-files.js';
import { parseUsers } from './passwords.js';
import { startStsServer } from './sts-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: join(here, '.dev') },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8443' },
    issuer: { type: 'string' },
    audience: { type: 'string', multiple: true },
    users: { type: 'string' },
    lifetime: { type: 'string', default: '3600' },
  },
});

const files = await ensureDevFiles(values.dir);
const port = Number(values.port);
const stsKey = readStsKey({
  certificate: files.pem.sts.certificate,
  privateKey: files.pem.sts.key,
});
const users =
  values.users === undefined ? undefined : parseUsers(await readFile(values.users, 'utf8'));
const sts = await startStsServer({
  stsKey,
  issuer: values.issuer ?? `https://localhost:${port}/`,
  audiences: values.audience ?? ['urn:example:orders'],
  tlsCertificate: files.pem['sts-tls'].certificate,
  tlsKey: files.pem['sts-tls'].key,
  clientCa: files.ca,
  ...(users === undefined ? {} : { users }),
  lifetimeSeconds: Number(values.lifetime),
  host: values.host,
  port,
});
console.log(`STS listening on ${sts.url} (files in ${files.dir})`);
console.log(`token signing certificate: ${join(files.dir, 'sts.pem')}`);
const stop = () => {
  void sts.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
