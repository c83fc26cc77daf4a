"""libxml2 (through lxml) as the c14n corpus oracle: one process for the whole corpus.

stdin: one JSON object a line: {"xml": str, "withComments": bool, "prefixes": [str],
"apex": str or null}. stdout: one JSON object a line, in order: {"c14n": str} or
{"error": str}. Exclusive c14n of the document element, or of the element carrying
wsu:Id=<apex>.
"""
import json
import sys

from lxml import etree

WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"


def canonicalize(case):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    root = etree.fromstring(case["xml"].encode("utf-8"), parser)
    el = root
    if case.get("apex"):
        found = root.xpath("//*[@wsu:Id=$id]", namespaces={"wsu": WSU}, id=case["apex"])
        if len(found) != 1:
            raise ValueError("%d apex elements" % len(found))
        el = found[0]
    out = etree.tostring(el, method="c14n", exclusive=True,
                         with_comments=bool(case.get("withComments")),
                         inclusive_ns_prefixes=case.get("prefixes") or None)
    return out.decode("utf-8")


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = {"c14n": canonicalize(json.loads(line))}
        except Exception as e:  # noqa: BLE001 - reported per case
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(reply) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
