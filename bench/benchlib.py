"""What the benchmark scripts share."""
import os
import shutil
import subprocess
import sys
import time


def cache_value(build, key):
    """A variable of the build's CMake cache, or None."""
    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split("=", 1)[1].strip()
    return None


def timed(cmd, ok_codes, cwd=None):
    """Wall time in seconds and peak resident memory in KiB of one run;
    exits naming the command when its status is not one of ok_codes."""
    elapsed, _, rss = timed_cpu(cmd, ok_codes, cwd)
    return elapsed, rss


def timed_cpu(cmd, ok_codes, cwd=None):
    """Wall time and CPU time (user + system) in seconds, and peak resident
    memory in KiB, of one run. CPU time is what a busy shared machine
    disturbs least: waiting for a core is not in it."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in ok_codes:
        sys.exit("%s: %s exited %d" % (os.path.basename(sys.argv[0]), " ".join(cmd), code))
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def instructions(cmd, ok_codes, cwd=None):
    """Instructions one run executes (all threads), counted by Valgrind's
    callgrind: the same on an idle machine and a busy one, so a small
    overhead can be told from noise. Slow (about 40x), so for few runs."""
    if not shutil.which("valgrind"):
        sys.exit("%s: --instructions needs valgrind (apt-get install valgrind)" %
                 os.path.basename(sys.argv[0]))
    vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    proc = subprocess.run(vg + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace")
    if proc.returncode not in ok_codes:
        sys.exit("%s: valgrind %s exited %d" % (os.path.basename(sys.argv[0]),
                                                 " ".join(cmd), proc.returncode))
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip())
    sys.exit("%s: callgrind printed no instruction count for %s" % (
        os.path.basename(sys.argv[0]), " ".join(cmd)))
