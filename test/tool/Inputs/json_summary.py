#!/usr/bin/env python3
"""Prints a concheck JSON report one finding per line, for FileCheck:

    files_checked=N errors=N
    CHECK SEVERITY[/CATEGORY] FILE:LINE:COLUMN notes=N fixes=N fingerprint=yes|no

    json_summary.py FILE
"""
import json
import sys

r = json.load(open(sys.argv[1]))
assert r["version"] == 1 and r["tool"]["name"] == "concheck", "not a concheck report"
print("files_checked=%d errors=%d" % (r["files_checked"], len(r["errors"])))
for e in r["errors"]:
    print("error %s: %s" % (e["file"], e["message"]))
for f in r["findings"]:
    severity = f["severity"] + ("/" + f["category"] if "category" in f else "")
    print("%s %s %s:%d:%d notes=%d fixes=%d fingerprint=%s" % (
        f["check"], severity, f["file"], f["line"], f["column"],
        len(f["notes"]), len(f["fixes"]), "yes" if f["fingerprint"] else "no"))
