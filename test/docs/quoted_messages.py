#!/usr/bin/env python3
"""Checks that every diagnostic the docs quote is one concheck prints.

Usage: quoted_messages.py DOCS_DIR TESTS_DIR

A quote is a `warning:` or `note:` in a comment of a fenced code block of a
Markdown page under DOCS_DIR (docs/checks). It runs on over the next lines
whose comment starts in the same column and is alone on its line or
indented (`//   that already unlocked it`), up to a line whose comment
starts a quote of its own; `; note:` inside one starts another. `...` in a
quote stands for any text, a name in quotes ('flush_all') for any name,
and a quote may stop before the message does ("warning: data race on 'x':
written in a task").

What concheck prints is what the tests assert it prints: the `warning:` and
`note:` lines of every CHECK line (any prefix) of the tests under TESTS_DIR,
which lit checks against real output (not those under a docs/ directory:
this test's own). Prints each quote that matches none,
with its page and line, and exits 1 if there is one.
"""

import os
import re
import sys

QUOTE = re.compile(r"\b(warning|note): ")


def comment_column(line):
    """The column of the line's comment and its text, and whether the text
    reads as a continuation: alone on its line, or indented (`//   more`)."""
    for marker in ("//", "/*"):
        i = line.find(marker)
        if i >= 0:
            raw = line[i + 2:].rstrip().removesuffix("*/")
            alone = not line[:i].strip()
            return i, raw.strip(), alone or raw.startswith("  ")
    return None, None, False


def quotes_in(path):
    out = []
    in_block = False
    lines = open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_block = not in_block
            i += 1
            continue
        col, text, _ = comment_column(line) if in_block else (None, None, 0)
        m = QUOTE.search(text) if text else None
        if not m:
            i += 1
            continue
        start = i
        quote = text[m.start():]
        i += 1
        while i < len(lines) and not lines[i].lstrip().startswith("```"):
            ncol, ntext, goes_on = comment_column(lines[i])
            if ncol != col or not ntext or not goes_on or QUOTE.match(ntext):
                break
            quote += " " + ntext
            i += 1
        for part in re.split(r";\s+(?=note: )", quote):
            out.append((start + 1, part.strip()))
    return out


def printed_messages(tests_dir):
    msgs = set()
    check_line = re.compile(r"(?://|#|;)\s*[A-Z][A-Z0-9-]*(?:-[A-Z]+)?:\s*(.*)$")
    for root, dirs, files in os.walk(tests_dir):
        dirs[:] = [d for d in dirs if d != "docs"]  # this test's own lines
        for f in files:
            if not f.endswith((".cpp", ".c", ".h", ".test", ".cc")):
                continue
            for line in open(os.path.join(root, f), encoding="utf-8",
                             errors="replace"):
                m = check_line.search(line)
                if not m:
                    continue
                q = QUOTE.search(m.group(1))
                if q:
                    msg = m.group(1)[q.start():]
                    msg = re.sub(r"\s*\[[a-z-]+(,-warnings-as-errors)?\]\s*$",
                                 "", msg)
                    msgs.add(msg.strip())
    return msgs


def to_regex(quote):
    quote = quote.rstrip(".")
    parts = []
    for p in quote.split("..."):
        # Names are the example's own: any name in their place.
        names = re.split(r"'[^'\s]*'", p.strip())
        parts.append("'[^']*'".join(re.escape(n) for n in names))
    return re.compile(r"\s*.*?\s*".join(parts))


def main(argv):
    docs, tests = argv[1], argv[2]
    printed = printed_messages(tests)
    bad = 0
    total = 0
    for f in sorted(os.listdir(docs)):
        if not f.endswith(".md"):
            continue
        path = os.path.join(docs, f)
        for line, quote in quotes_in(path):
            total += 1
            rx = to_regex(quote)
            # FileCheck patterns may hold {{...}} regexes: compare loosely.
            if not any(rx.match(re.sub(r"\{\{.*?\}\}", "", p)) or rx.match(p)
                       for p in printed):
                print(f"{path}:{line}: quoted message not printed: {quote}")
                bad += 1
    print(f"{total} quoted messages, {bad} not printed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
