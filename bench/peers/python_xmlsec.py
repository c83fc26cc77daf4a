"""Peer benchmark: the C library xmlsec (through python-xmlsec, Debian's python3-xmlsec)
opening the same signed-then-encrypted message wsseq opens: parse, decrypt the Body, verify
the signature. It checks nothing else (no trust, no timestamp), so it is a generous floor.

argv: message (EncryptedKey already moved into the EncryptedData's KeyInfo, as xmlsec needs),
service key PEM, client certificate PEM, seconds to run. Prints one JSON line.
"""
import json
import sys
import time

import xmlsec
from lxml import etree

WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
XENC = "http://www.w3.org/2001/04/xmlenc#"
DS = "http://www.w3.org/2000/09/xmldsig#"


def open_once(data, manager, client_key):
    root = etree.fromstring(data)
    enc = root.find(".//{%s}EncryptedData" % XENC)
    ctx = xmlsec.EncryptionContext(manager)
    ctx.decrypt(enc)
    for el in root.iter():
        if el.get("{%s}Id" % WSU) is not None:
            xmlsec.tree.add_ids(el, ["Id"])
    sig = root.find(".//{%s}Signature" % DS)
    sctx = xmlsec.SignatureContext()
    for el in root.iter():
        if el.get("{%s}Id" % WSU) is not None:
            sctx.register_id(el, "Id", WSU)
    sctx.key = client_key
    sctx.verify(sig)


def main():
    message, service_key, client_cert, seconds = sys.argv[1:5]
    with open(message, "rb") as f:
        data = f.read()
    manager = xmlsec.KeysManager()
    manager.add_key(xmlsec.Key.from_file(service_key, xmlsec.constants.KeyDataFormatPem))
    client_key = xmlsec.Key.from_file(client_cert, xmlsec.constants.KeyDataFormatCertPem)
    open_once(data, manager, client_key)  # warm up, and fail loudly if it cannot
    times = []
    end = time.perf_counter() + float(seconds)
    while time.perf_counter() < end or len(times) < 3:
        t = time.perf_counter()
        open_once(data, manager, client_key)
        times.append(time.perf_counter() - t)
    times.sort()
    total = sum(times)
    print(json.dumps({
        "ops": len(times),
        "opsPerSecond": len(times) / total,
        "p50Ms": times[len(times) // 2] * 1000,
        "p99Ms": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
    }))


if __name__ == "__main__":
    main()
