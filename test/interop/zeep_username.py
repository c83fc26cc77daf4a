#!/usr/bin/python3
"""Add a UsernameToken to a SOAP envelope the way a zeep client does
(zeep.wsse.username.UsernameToken), and print the envelope.

Usage: zeep_username.py USERNAME PASSWORD [--digest] [--created ISO] [--zulu] < ENVELOPE

--digest is zeep's use_digest=True (PasswordDigest with Nonce and Created); without it, a
PasswordText token with no Nonce and no Created. zeep writes Created with "+00:00" unless
--zulu. zeep adds no Timestamp and does not sign: the token travels unprotected, as over TLS.
"""
import argparse
import datetime
import sys

from lxml import etree
from zeep.wsse.username import UsernameToken


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("password")
    parser.add_argument("--digest", action="store_true")
    parser.add_argument("--created", help="ISO 8601 instant for wsu:Created (default: now)")
    parser.add_argument("--zulu", action="store_true")
    args = parser.parse_args()

    envelope = etree.fromstring(sys.stdin.buffer.read())
    created = None
    if args.created:
        # zeep's get_timestamp takes a naive UTC datetime (it sets the zone itself).
        aware = datetime.datetime.fromisoformat(args.created.replace("Z", "+00:00"))
        created = aware.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    token = UsernameToken(
        args.username,
        args.password,
        use_digest=args.digest,
        created=created,
        zulu_timestamp=args.zulu or None,
    )
    envelope, _ = token.apply(envelope, {})
    sys.stdout.write(etree.tostring(envelope, encoding="unicode"))


if __name__ == "__main__":
    main()
