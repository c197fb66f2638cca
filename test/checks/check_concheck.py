#!/usr/bin/env python3
"""Runs one concheck check through clang-tidy and the plugin, the way
clang-tidy's own check tests work.

    check_concheck.py --clang-tidy BIN --plugin SO INPUT CHECK TEMP \
        [-- CLANG_TIDY_ARGS] [-- COMPILER_ARGS]

The expectations live in INPUT as comments:
  // CHECK-MESSAGES: ...  diagnostics, matched against clang-tidy's output;
                          any warning or error not listed fails the test.
  // CHECK-FIXES: ...     lines of the file after clang-tidy applied the fixes.
A file with no CHECK-MESSAGES must produce no warning at all.
"""
import argparse
import os
import re
import subprocess
import sys


def run(cmd, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kwargs)


def filecheck(input_file, check_file, prefix, extra):
    cmd = ["FileCheck", "-input-file=" + input_file, check_file,
           "-check-prefix=" + prefix] + extra
    result = run(cmd)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        sys.exit("check_concheck: FileCheck failed for " + prefix)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("input")
    parser.add_argument("check")
    parser.add_argument("temp")
    argv = sys.argv[1:]
    rest = []
    if "--" in argv:
        i = argv.index("--")
        argv, rest = argv[:i], argv[i + 1:]
    args = parser.parse_args(argv)

    # INPUT CHECK TEMP -- CLANG_TIDY_ARGS -- COMPILER_ARGS
    if "--" in rest:
        i = rest.index("--")
        tidy_args, compiler_args = rest[:i], rest[i + 1:]
    else:
        tidy_args, compiler_args = rest, []

    with open(args.input, encoding="utf-8") as f:
        text = f.read()
    has_messages = re.search(r"//\s*CHECK-MESSAGES:", text) is not None
    has_fixes = re.search(r"//\s*CHECK-FIXES:", text) is not None

    # The file clang-tidy sees: expectations blanked out (line numbers stay),
    # so that fixes do not rewrite them and FileCheck does not match itself.
    ext = os.path.splitext(args.input)[1] or ".cpp"
    temp = args.temp + ext
    os.makedirs(os.path.dirname(os.path.abspath(temp)), exist_ok=True)
    cleaned = re.sub(r"//\s*CHECK-(MESSAGES|FIXES)(-[A-Z0-9]+)?:[^\r\n]*", "//", text)
    with open(temp, "w", encoding="utf-8") as f:
        f.write(cleaned)

    cmd = [args.clang_tidy, "--load=" + args.plugin, temp, "-fix",
           "--checks=-*," + args.check] + tidy_args + ["--"] + compiler_args
    result = run(cmd)
    output = result.stdout
    out_file = args.temp + ".msg"
    with open(out_file, "w", encoding="utf-8") as f:
        f.write(output)
    if re.search(r"error: |Error while processing|Error opening", output) and \
            "CHECK-MESSAGES: :{{.*}} error" not in text:
        sys.stdout.write(output)
        sys.exit("check_concheck: clang-tidy reported errors (exit %d)" % result.returncode)

    if has_messages:
        filecheck(out_file, args.input, "CHECK-MESSAGES",
                  ["-implicit-check-not={{warning|error}}:"])
    elif re.search(r"warning: ", output):
        sys.stdout.write(output)
        sys.exit("check_concheck: expected no warnings")

    if has_fixes:
        filecheck(temp, args.input, "CHECK-FIXES", ["-strict-whitespace"])


if __name__ == "__main__":
    main()
