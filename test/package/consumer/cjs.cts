// A consumer project's CommonJS module (compiled to require() calls): Node 20.19+ loads the
// ESM build through require(esm).
import { createDevelopmentPki } from 'wsseq/dev';
import { Certificate, WsseqError, describeIdentity } from 'wsseq';
import wsseq = require('wsseq');

async function main(): Promise<void> {
  const pki = await createDevelopmentPki();
  const again = Certificate.fromPem(pki.client.certificatePem);
  console.log(
    JSON.stringify({
      cn: describeIdentity(again).commonName,
      sameClass: wsseq.WsseqError === WsseqError,
      keys: Object.keys(wsseq).includes('createOpener'),
    }),
  );
}
void main();
