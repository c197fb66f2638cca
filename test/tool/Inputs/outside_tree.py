#!/usr/bin/env python3
"""outside_tree.py FILE... -- COMMAND...: copies FILEs into a fresh directory
outside every source and build tree (so that no compile_commands.json lies
above it), runs COMMAND there with '{}' replaced by that directory, passes
its output through and exits with its status."""
import os
import shutil
import subprocess
import sys
import tempfile

split = sys.argv.index("--")
files, command = sys.argv[1:split], sys.argv[split + 1:]
with tempfile.TemporaryDirectory(prefix="concheck-outside-") as where:
    for f in files:
        shutil.copy(f, where)
    command = [arg.replace("{}", where) for arg in command]
    sys.exit(subprocess.call(command, cwd=where))
