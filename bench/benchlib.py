"""What the benchmark scripts share."""
import os
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
