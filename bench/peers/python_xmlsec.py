"""Benchmark peer: the C library xmlsec (through python-xmlsec, Debian's python3-xmlsec) with
libxml2 (lxml), opening and securing the same envelope wsseq does, with the same algorithms.

open: parse, decrypt the Body (AES-256-GCM, key unwrapped with RSA-OAEP), register the Id
attributes with one libxml2 walk (xmlsec.tree.add_ids, as a real deployment does), verify the
signature (RSA-SHA256, exclusive c14n, SHA-256 over Body and Timestamp). It checks nothing else
(no trust, no timestamp, no policy), so it is a generous peer. xmlsec cannot resolve the
WS-Security layout's EncryptedKey in the Security header: the message it is given has the
EncryptedKey moved into the EncryptedData's KeyInfo (same bytes to decrypt, same operations).

secure: parse, add a Security header with a Timestamp and the client's BinarySecurityToken,
sign Body and Timestamp, encrypt the Body content under a fresh AES-256-GCM key wrapped with
RSA-OAEP for the service certificate (EncryptedKey inside the EncryptedData), serialize.

One process for the whole benchmark run, driven by a line protocol on stdin/stdout:
    bench open|secure <file> <seconds>   -> one JSON line
    open <file>                          -> ok (or error ...)
    quit
argv: service key PEM, service certificate PEM, client key PEM, client certificate PEM.
"""
import base64
import json
import sys
import time

import xmlsec
from lxml import etree

WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
XENC = "http://www.w3.org/2001/04/xmlenc#"
DS = "http://www.w3.org/2000/09/xmldsig#"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64 = ("http://docs.oasis-open.org/wss/2004/01/"
          "oasis-200401-wss-soap-message-security-1.0#Base64Binary")


class Peer:
    def __init__(self, service_key, service_cert, client_key, client_cert):
        self.decrypt_keys = xmlsec.KeysManager()
        self.decrypt_keys.add_key(
            xmlsec.Key.from_file(service_key, xmlsec.constants.KeyDataFormatPem))
        self.encrypt_keys = xmlsec.KeysManager()
        self.encrypt_keys.add_key(
            xmlsec.Key.from_file(service_cert, xmlsec.constants.KeyDataFormatCertPem))
        self.verify_key = xmlsec.Key.from_file(client_cert, xmlsec.constants.KeyDataFormatCertPem)
        self.sign_key = xmlsec.Key.from_file(client_key, xmlsec.constants.KeyDataFormatPem)
        with open(client_cert, "rb") as f:
            pem = f.read().decode("ascii")
        self.client_der_b64 = "".join(
            line for line in pem.splitlines() if line and not line.startswith("-----"))

    def open(self, data):
        root = etree.fromstring(data)
        enc = root.find(".//{%s}EncryptedData" % XENC)
        xmlsec.EncryptionContext(self.decrypt_keys).decrypt(enc)
        xmlsec.tree.add_ids(root, ["Id"])
        sig = root.find(".//{%s}Signature" % DS)
        ctx = xmlsec.SignatureContext()
        ctx.key = self.verify_key
        ctx.verify(sig)
        return root

    def secure(self, data):
        root = etree.fromstring(data)
        soap = root.nsmap.get(root.prefix)
        header = root.find("{%s}Header" % soap)
        body = root.find("{%s}Body" % soap)
        if header is None:
            header = etree.Element("{%s}Header" % soap)
            root.insert(0, header)
        security = etree.SubElement(header, "{%s}Security" % WSSE,
                                    nsmap={"wsse": WSSE, "wsu": WSU})
        security.set("{%s}mustUnderstand" % soap, "1")
        ts = etree.SubElement(security, "{%s}Timestamp" % WSU)
        ts.set("{%s}Id" % WSU, "TS-1")
        now = time.time()
        etree.SubElement(ts, "{%s}Created" % WSU).text = time.strftime(
            "%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
        etree.SubElement(ts, "{%s}Expires" % WSU).text = time.strftime(
            "%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 300))
        bst = etree.SubElement(security, "{%s}BinarySecurityToken" % WSSE)
        bst.set("{%s}Id" % WSU, "X509-1")
        bst.set("ValueType", X509V3)
        bst.set("EncodingType", BASE64)
        bst.text = self.client_der_b64
        body.set("{%s}Id" % WSU, "Body-1")

        sig = xmlsec.template.create(root, xmlsec.Transform.EXCL_C14N,
                                     xmlsec.Transform.RSA_SHA256)
        security.append(sig)
        for uri in ("#Body-1", "#TS-1"):
            ref = xmlsec.template.add_reference(sig, xmlsec.Transform.SHA256, uri=uri)
            xmlsec.template.add_transform(ref, xmlsec.Transform.EXCL_C14N)
        key_info = xmlsec.template.ensure_key_info(sig)
        str_el = etree.SubElement(key_info, "{%s}SecurityTokenReference" % WSSE)
        ref_el = etree.SubElement(str_el, "{%s}Reference" % WSSE)
        ref_el.set("URI", "#X509-1")
        ref_el.set("ValueType", X509V3)
        xmlsec.tree.add_ids(root, ["Id"])
        ctx = xmlsec.SignatureContext()
        ctx.key = self.sign_key
        ctx.sign(sig)

        enc_data = xmlsec.template.encrypted_data_create(
            root, xmlsec.Transform.AES256_GCM, type=xmlsec.EncryptionType.CONTENT, ns="xenc")
        xmlsec.template.encrypted_data_ensure_cipher_value(enc_data)
        ki = xmlsec.template.encrypted_data_ensure_key_info(enc_data, ns="dsig")
        ek = xmlsec.template.add_encrypted_key(ki, xmlsec.Transform.RSA_OAEP)
        xmlsec.template.encrypted_data_ensure_cipher_value(ek)
        ectx = xmlsec.EncryptionContext(self.encrypt_keys)
        ectx.key = xmlsec.Key.generate(xmlsec.constants.KeyDataAes, 256,
                                       xmlsec.constants.KeyDataTypeSession)
        ectx.encrypt_xml(enc_data, body)
        return etree.tostring(root)

    def bench(self, what, data, seconds):
        fn = self.open if what == "open" else self.secure
        fn(data)  # warm up, and fail loudly if it cannot
        times = []
        cpu0 = time.process_time()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(times) < 3:
            t = time.perf_counter()
            fn(data)
            times.append(time.perf_counter() - t)
        cpu = time.process_time() - cpu0
        times.sort()
        n = len(times)
        return {
            "ops": n,
            "opsPerSecond": n / sum(times),
            "cpuMsPerOp": cpu * 1000 / n,
            "p50Ms": times[n // 2] * 1000,
            "p99Ms": times[min(n - 1, int(n * 0.99))] * 1000,
        }


def main():
    peer = Peer(*sys.argv[1:5])
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        try:
            if words[0] == "bench":
                with open(words[2], "rb") as f:
                    reply = json.dumps(peer.bench(words[1], f.read(), float(words[3])))
            elif words[0] == "open":
                with open(words[1], "rb") as f:
                    peer.open(f.read())
                reply = "ok"
            elif words[0] == "secure":
                with open(words[1], "rb") as f:
                    data = peer.secure(f.read())
                with open(words[2], "wb") as f:
                    f.write(data)
                reply = "ok"
            else:
                reply = "error unknown command " + words[0]
        except Exception as e:  # noqa: BLE001 - reported on the protocol channel
            reply = ("error %s: %s" % (type(e).__name__, e)).replace("\n", " ")
        print(reply, flush=True)


if __name__ == "__main__":
    main()
