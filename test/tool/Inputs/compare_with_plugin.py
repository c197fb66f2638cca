#!/usr/bin/env python3
"""Runs concheck and clang-tidy with the concheck plugin on each file and
compares their warnings (file name, line, column, message, check). Both get
exactly FLAGS: concheck through a compile_commands.json written to DIR
(its default flags would add the real runtime's include directory).

    compare_with_plugin.py --concheck C --clang-tidy T --plugin P --out DIR
                           -- FLAGS... -- FILE...

Prints "NAME: N findings, the same" per file, or the difference and exits 1.
"""
import argparse
import json
import os
import re
import subprocess
import sys

WARNING = re.compile(r"([^/\s:]+:\d+:\d+: warning: .*\[concheck-[a-z-]+\])$")


def warnings(cmd):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout
    found = []
    for line in out.splitlines():
        m = WARNING.search(line)
        if m:
            found.append(m.group(1))
    return sorted(found)


argv = sys.argv[1:]
first = argv.index("--")
second = argv.index("--", first + 1)
ap = argparse.ArgumentParser()
for opt in ("--concheck", "--clang-tidy", "--plugin", "--out"):
    ap.add_argument(opt, required=True)
args = ap.parse_args(argv[:first])
flags = argv[first + 1:second]
files = [os.path.abspath(f) for f in argv[second + 1:]]
with open(os.path.join(args.out, "compile_commands.json"), "w") as db:
    json.dump([{"directory": args.out, "file": f,
                "arguments": ["clang++"] + flags + ["-c", f]} for f in files], db)
status = 0
for f in files:
    name = os.path.basename(f)
    cli = warnings([args.concheck, "--quiet", "--checks=-*,concheck-*", "-p", args.out, f])
    tidy = warnings([args.clang_tidy, "--load=" + args.plugin, "--checks=-*,concheck-*",
                     "--quiet", f, "--"] + flags)
    if cli == tidy and cli:
        print("%s: %d findings, the same" % (name, len(cli)))
        continue
    status = 1
    print("%s: concheck %d findings, clang-tidy %d" % (name, len(cli), len(tidy)))
    for w in sorted(set(tidy) - set(cli)):
        print("  only clang-tidy: " + w)
    for w in sorted(set(cli) - set(tidy)):
        print("  only concheck:   " + w)
sys.exit(status)
