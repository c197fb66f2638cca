#!/usr/bin/env python3
"""Runs a command with stdout and stderr on a pseudo-terminal, prints what
it wrote there with control characters made visible (<ESC>, <CR>), and
exits with its status. Lets lit tests see what a person at a terminal sees.

    run_in_pty.py COMMAND [ARG...]
"""
import os
import pty
import subprocess
import sys

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave,
                        stderr=slave, close_fds=True)
os.close(slave)
out = bytearray()
while True:
    try:
        data = os.read(master, 65536)
    except OSError:  # EIO: the command closed its side of the terminal
        break
    if not data:
        break
    out.extend(data)
status = proc.wait()
text = out.decode("utf-8", "replace").replace("\r\n", "\n")
sys.stdout.write(text.replace("\x1b", "<ESC>").replace("\r", "<CR>"))
sys.exit(status)
