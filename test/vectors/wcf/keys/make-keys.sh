#!/bin/sh
# TEST DATA ONLY: the certificates and keys the captured WCF (Mono) vectors were made with.
# Run once; the outputs are committed so the vectors stay verifiable. Never use them elsewhere.
set -eu
cd "$(dirname "$0")"
P=test
cat > ext.cnf <<'CNF'
[client]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=email:wcf-client@example.com
[service]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment,dataEncipherment
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=DNS:wcf-service.example
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 \
  -subj "/CN=wsseq WCF vectors test root/O=wsseq test data" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
for who in client service untrusted; do
  openssl req -newkey rsa:2048 -nodes -keyout $who.key -out $who.csr \
    -subj "/CN=wsseq WCF $who/O=wsseq test data" 2>/dev/null
done
serial=1000
for who in client service; do
  serial=$((serial + 1))
  openssl x509 -req -in $who.csr -CA root.pem -CAkey root.key -set_serial $serial -days 3650 \
    -extfile ext.cnf -extensions $who -out $who.pem
done
# An untrusted client: self-signed, with clientAuth.
openssl x509 -req -in untrusted.csr -signkey untrusted.key -days 3650 -extfile ext.cnf \
  -extensions client -out untrusted.pem
for who in client service untrusted; do
  openssl pkcs12 -export -legacy -in $who.pem -inkey $who.key -out $who.pfx -passout pass:$P \
    -name "wsseq WCF $who"
  rm -f $who.csr
done
rm -f ext.cnf root.srl
