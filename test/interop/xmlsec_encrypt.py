#!/usr/bin/python3
"""Encrypt the soap:Body content of a (signed) message with python-xmlsec, in the
WS-Security layout a receiver expects (sign-then-encrypt, as WSS4J and WCF send it).

Usage: xmlsec_encrypt.py MESSAGE_IN SERVICE_CERT_PEM OUT [--cipher aes256-cbc|aes256-gcm|...]

python-xmlsec (libxmlsec1) writes the plain XML Encryption layout: the EncryptedKey inside
the EncryptedData's ds:KeyInfo. This script then moves it where WS-Security puts it:

  wsse:Security
    xenc:EncryptedKey            (first, so a receiver decrypts before it verifies)
      EncryptionMethod rsa-oaep-mgf1p
      ds:KeyInfo/wsse:SecurityTokenReference/wsse:KeyIdentifier (ThumbprintSHA1 of the
        service certificate)
      CipherData
      xenc:ReferenceList/xenc:DataReference URI="#<EncryptedData Id>"
    ...the existing Signature, BinarySecurityToken, Timestamp
  soap:Body
    xenc:EncryptedData Type=#Content (no ds:KeyInfo)
"""
import argparse
import base64
import hashlib
import ssl
import uuid

import xmlsec
from lxml import etree

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
THUMBPRINT = "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1"
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

CIPHERS = {
    "aes128-cbc": (xmlsec.Transform.AES128, 128),
    "aes256-cbc": (xmlsec.Transform.AES256, 256),
}
# Present in python-xmlsec >= 1.3.10 built against libxmlsec1 >= 1.2.27.
if hasattr(xmlsec.Transform, "AES256_GCM"):
    CIPHERS["aes128-gcm"] = (xmlsec.Transform.AES128_GCM, 128)
    CIPHERS["aes256-gcm"] = (xmlsec.Transform.AES256_GCM, 256)


def thumbprint_sha1(cert_path):
    with open(cert_path, "r", encoding="ascii") as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    return base64.b64encode(hashlib.sha1(der).digest()).decode("ascii")


def child(parent, ns, local):
    """The first child element {ns}local. (lxml's find() misses some nodes libxmlsec1
    created from a template: it compares interned names, so compare the tag text.)"""
    for node in parent:
        if node.tag == "{%s}%s" % (ns, local):
            return node
    raise SystemExit("no {%s}%s under %s" % (ns, local, parent.tag))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("message")
    parser.add_argument("cert")
    parser.add_argument("out")
    parser.add_argument("--cipher", default="aes256-cbc", choices=sorted(CIPHERS))
    args = parser.parse_args()

    root = etree.parse(args.message).getroot()
    soap_ns = etree.QName(root).namespace
    body = root.find("{%s}Body" % soap_ns)
    security = root.find("{%s}Header/{%s}Security" % (soap_ns, WSSE))
    if body is None or security is None:
        raise SystemExit("message has no soap:Body or wsse:Security header")

    method, bits = CIPHERS[args.cipher]
    data_id = "ED-" + str(uuid.uuid4())
    template = xmlsec.template.encrypted_data_create(
        root, method, id=data_id, type=xmlsec.EncryptionType.CONTENT, ns="xenc"
    )
    xmlsec.template.encrypted_data_ensure_cipher_value(template)
    key_info = xmlsec.template.encrypted_data_ensure_key_info(template, ns="ds")
    encrypted_key = xmlsec.template.add_encrypted_key(key_info, xmlsec.Transform.RSA_OAEP)
    xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)

    manager = xmlsec.KeysManager()
    manager.add_key(xmlsec.Key.from_file(args.cert, xmlsec.KeyFormat.CERT_PEM, None))
    ctx = xmlsec.EncryptionContext(manager)
    ctx.key = xmlsec.Key.generate(xmlsec.KeyData.AES, bits, xmlsec.KeyDataType.SESSION)
    encrypted_data = ctx.encrypt_xml(template, body)

    # Rearrange into the WS-Security layout.
    key_info = child(encrypted_data, DS, "KeyInfo")
    encrypted_key = child(key_info, XENC, "EncryptedKey")
    encrypted_data.remove(key_info)
    encrypted_key.set("Id", "EK-" + str(uuid.uuid4()))
    ek_key_info = etree.Element("{%s}KeyInfo" % DS, nsmap={"ds": DS})
    str_ = etree.SubElement(
        ek_key_info, "{%s}SecurityTokenReference" % WSSE, nsmap={"wsse": WSSE}
    )
    identifier = etree.SubElement(
        str_, "{%s}KeyIdentifier" % WSSE, {"ValueType": THUMBPRINT, "EncodingType": BASE64}
    )
    identifier.text = thumbprint_sha1(args.cert)
    # KeyInfo goes right after EncryptionMethod (XML Encryption schema order).
    encrypted_key.insert(1, ek_key_info)
    reference_list = etree.SubElement(encrypted_key, "{%s}ReferenceList" % XENC)
    etree.SubElement(reference_list, "{%s}DataReference" % XENC, {"URI": "#" + data_id})
    security.insert(0, encrypted_key)

    with open(args.out, "wb") as f:
        f.write(etree.tostring(root, xml_declaration=False, encoding="utf-8"))


if __name__ == "__main__":
    main()
