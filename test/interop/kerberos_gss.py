"""MIT GSS-API (python3-gssapi) as the independent Kerberos peer for wsseq's tests.

  kerberos_gss.py init SPN        -> JSON {token, key, enctype}: an initial context token
                                     (integrity, no mutual) and the context key
                                     (GSS_C_INQ_SSPI_SESSION_KEY) from the KRB5CCNAME cache
  kerberos_gss.py accept < token  -> JSON {initiator, key, enctype}: gss_accept_sec_context
                                     with the KRB5_KTNAME keytab, and the same key inquired

Both read base64 from stdin / write base64 in JSON; the environment (KRB5_CONFIG,
KRB5CCNAME, KRB5_KTNAME, KRB5RCACHEDIR) is the test realm's.
"""
import base64
import json
import sys

import gssapi
from gssapi.raw import inquire_sec_context_by_oid

SSPI_SESSION_KEY = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2.5.5")
ENCTYPE_OID_PREFIX = "1.2.840.113554.1.2.2.4"


def context_key(ctx):
    values = inquire_sec_context_by_oid(ctx, SSPI_SESSION_KEY)
    key = values[0]
    enctype = None
    if len(values) > 1:
        # The second buffer is the DER of an OID 1.2.840.113554.1.2.2.4.<enctype>.
        oid = gssapi.OID(elements=values[1])
        enctype = int(oid.dotted_form.rsplit(".", 1)[1])
    return key, enctype


def main():
    mode = sys.argv[1]
    if mode == "init":
        name = gssapi.Name(sys.argv[2], gssapi.NameType.kerberos_principal)
        ctx = gssapi.SecurityContext(
            name=name,
            usage="initiate",
            mech=gssapi.MechType.kerberos,
            flags=gssapi.RequirementFlag.integrity,
        )
        token = ctx.step()
        key, enctype = context_key(ctx)
        out = {"token": base64.b64encode(token).decode(), "key": base64.b64encode(key).decode(),
               "enctype": enctype, "complete": ctx.complete}
    elif mode == "accept":
        token = base64.b64decode(sys.stdin.read().strip())
        creds = gssapi.Credentials(usage="accept")
        ctx = gssapi.SecurityContext(creds=creds, usage="accept")
        ctx.step(token)
        key, enctype = context_key(ctx)
        out = {"initiator": str(ctx.initiator_name), "key": base64.b64encode(key).decode(),
               "enctype": enctype, "complete": ctx.complete}
    else:
        raise SystemExit("usage: kerberos_gss.py init SPN | accept")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
