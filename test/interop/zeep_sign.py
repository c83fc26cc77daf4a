#!/usr/bin/python3
"""Sign a SOAP envelope the way a zeep client does (zeep.wsse.signature.BinarySignature).

Usage: zeep_sign.py ENVELOPE_IN KEY_PEM CERT_PEM OUT [--created ISO] [--ttl SECONDS]
                    [--zeep-defaults] [--no-timestamp] [--zulu]

zeep never creates a wsu:Timestamp itself; like a zeep user would, this script adds one
to the wsse:Security header first (Created = --created, default now; formatted with zeep's
get_timestamp, so "+00:00" unless --zulu), and zeep then signs it together with soap:Body.
Algorithms: RSA-SHA256 and SHA-256 digests, or zeep's own defaults (RSA-SHA1, SHA-1) with
--zeep-defaults.
"""
import argparse
import datetime

import xmlsec
from lxml import etree
from zeep.wsse.signature import BinarySignature
from zeep.wsse.utils import WSU, get_security_header, get_timestamp


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("envelope")
    parser.add_argument("key")
    parser.add_argument("cert")
    parser.add_argument("out")
    parser.add_argument("--created", help="ISO 8601 instant for wsu:Created (default: now)")
    parser.add_argument("--ttl", type=int, default=300)
    parser.add_argument("--zeep-defaults", action="store_true", help="RSA-SHA1/SHA-1")
    parser.add_argument("--no-timestamp", action="store_true")
    parser.add_argument(
        "--zulu", action="store_true", help="write ...Z instead of zeep's default ...+00:00"
    )
    args = parser.parse_args()

    envelope = etree.parse(args.envelope).getroot()
    if not args.no_timestamp:
        if args.created:
            created = datetime.datetime.fromisoformat(args.created.replace("Z", "+00:00"))
        else:
            created = datetime.datetime.now(datetime.timezone.utc)
        expires = created + datetime.timedelta(seconds=args.ttl)
        security = get_security_header(envelope)
        # zeep's own formatter: whole seconds, "+00:00" unless zulu timestamps are asked for.
        security.append(
            WSU.Timestamp(
                WSU.Created(get_timestamp(created, zulu_timestamp=args.zulu)),
                WSU.Expires(get_timestamp(expires, zulu_timestamp=args.zulu)),
            )
        )

    if args.zeep_defaults:
        plugin = BinarySignature(args.key, args.cert)
    else:
        plugin = BinarySignature(
            args.key,
            args.cert,
            signature_method=xmlsec.Transform.RSA_SHA256,
            digest_method=xmlsec.Transform.SHA256,
        )
    envelope, _ = plugin.apply(envelope, {})
    with open(args.out, "wb") as f:
        f.write(etree.tostring(envelope, xml_declaration=False, encoding="utf-8"))


if __name__ == "__main__":
    main()
