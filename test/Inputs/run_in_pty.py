#!/usr/bin/env python3
"""Runs a command with stderr (and stdout) on a pseudo-terminal, prints what
it wrote there with control characters made visible, and exits with its
status. Lets lit tests see what a person at a terminal would see.

    run_in_pty.py COMMAND [ARG...]
"""
import os
import pty
import sys

out = bytearray()


def read(fd):
    data = os.read(fd, 4096)
    out.extend(data)
    return b""  # nothing echoed to our own stdout while it runs


status = pty.spawn(sys.argv[1:], read)
text = out.decode("utf-8", "replace")
text = text.replace("\x1b", "<ESC>").replace("\r\n", "\n").replace("\r", "<CR>")
sys.stdout.write(text)
sys.exit(os.waitstatus_to_exitcode(status))
