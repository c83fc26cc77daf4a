#!/usr/bin/python3
"""Verify a WS-Security signature with zeep (zeep.wsse.signature.verify_envelope).

Usage: zeep_verify.py MESSAGE CERT_PEM

Exit 0 when zeep accepts the signature, 1 when zeep raises SignatureVerificationFailed,
2 on any other error. zeep checks the cryptography only (not which parts are signed, not
the timestamp, not trust), so this proves the bytes and algorithms interoperate.
"""
import sys
import traceback

from lxml import etree
from zeep.exceptions import SignatureVerificationFailed
from zeep.wsse.signature import verify_envelope


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        envelope = etree.parse(sys.argv[1]).getroot()
        verify_envelope(envelope, sys.argv[2])
    except SignatureVerificationFailed:
        print("zeep: signature verification failed", file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - report anything else distinctly
        traceback.print_exc()
        return 2
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
