#!/usr/bin/env python3
"""Checks a SARIF log against what SARIF 2.1.0 and GitHub code scanning
require of it, then prints one line per result for FileCheck:

    rules RULE(DEFAULT-LEVEL) ...
    result RULE LEVEL URI:LINE:COL related=N fixes=N

    sarif_check.py FILE

Exits 1 with the reason when a requirement is not met.
"""
import json
import sys


def fail(why):
    print("sarif_check: " + why)
    sys.exit(1)


def check_location(loc, where):
    phys = loc.get("physicalLocation")
    if not phys:
        fail(where + ": no physicalLocation")
    art = phys.get("artifactLocation", {})
    if not art.get("uri"):
        fail(where + ": no artifactLocation.uri")
    if "uriBaseId" in art and art["uri"].startswith("/"):
        fail(where + ": a uri relative to a base must not be absolute")
    region = phys.get("region")
    if region is not None:
        if region.get("startLine", 0) < 1:
            fail(where + ": startLine must be >= 1")
        if "startColumn" in region and region["startColumn"] < 1:
            fail(where + ": startColumn must be >= 1")
    return art["uri"], (region or {}).get("startLine", 0), (region or {}).get("startColumn", 0)


log = json.load(open(sys.argv[1]))
if log.get("version") != "2.1.0":
    fail("version must be 2.1.0")
if "sarif-2.1.0" not in log.get("$schema", ""):
    fail("$schema must name SARIF 2.1.0")
runs = log.get("runs")
if not isinstance(runs, list) or len(runs) != 1:
    fail("expected exactly one run")
run = runs[0]
driver = run["tool"]["driver"]
if driver.get("name") != "concheck":
    fail("tool.driver.name must be concheck")
rules = driver.get("rules", [])
ids = [r["id"] for r in rules]
if len(ids) != len(set(ids)):
    fail("rule ids must be unique")
for r in rules:
    if r["id"].startswith("concheck-"):
        for key in ("shortDescription", "fullDescription", "help", "helpUri"):
            if key not in r:
                fail("rule %s: no %s" % (r["id"], key))
        if not r["help"].get("text") or not r["help"].get("markdown"):
            fail("rule %s: help needs text and markdown" % r["id"])
base = run.get("originalUriBaseIds", {}).get("SRCROOT", {}).get("uri", "")
if not base.startswith("file:///") or not base.endswith("/"):
    fail("SRCROOT must be an absolute file URI ending in '/'")
print("rules " + " ".join(
    "%s(%s)" % (r["id"], r.get("defaultConfiguration", {}).get("level", "warning"))
    for r in rules))
for i, res in enumerate(run.get("results", [])):
    where = "result %d" % i
    if not res.get("message", {}).get("text"):
        fail(where + ": no message.text")
    idx = res.get("ruleIndex")
    if idx is None or idx >= len(rules) or rules[idx]["id"] != res.get("ruleId"):
        fail(where + ": ruleIndex does not point at ruleId")
    if res.get("level") not in ("warning", "error", "note"):
        fail(where + ": bad level")
    if not res.get("partialFingerprints"):
        fail(where + ": no partialFingerprints")
    locs = res.get("locations", [])
    if len(locs) != 1:
        fail(where + ": expected one location")
    uri, line, col = check_location(locs[0], where)
    related = res.get("relatedLocations", [])
    for j, rel in enumerate(related):
        check_location(rel, where + " related %d" % j)
        if not rel.get("message", {}).get("text"):
            fail(where + ": related location without a message")
    fixes = res.get("fixes", [])
    for fix in fixes:
        for change in fix["artifactChanges"]:
            for rep in change["replacements"]:
                d = rep["deletedRegion"]
                if d["startLine"] < 1 or d["endLine"] < d["startLine"]:
                    fail(where + ": bad deletedRegion")
    print("result %s %s %s:%d:%d related=%d fixes=%d" % (
        res["ruleId"], res["level"], uri, line, col, len(related), len(fixes)))
inv = run.get("invocations", [{}])[0]
print("executionSuccessful=%s notifications=%d" % (
    inv.get("executionSuccessful"), len(inv.get("toolExecutionNotifications", []))))
