#!/usr/bin/env python3
"""exit_is.py N COMMAND...: runs COMMAND, passing its output through, and
succeeds only when it exits with status N (lit's shell has no $?)."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.stderr.write("exit_is: expected exit status %d, got %d\n" % (want, got))
    sys.exit(1)
