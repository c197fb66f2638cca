#!/usr/bin/env python3
"""How much concheck costs over the compiler's own front end.

    bench/lint_overhead.py [--build build] [--runs 11] [FILE...]

For each FILE (default: bench/inputs/*.cpp) it times, alternating so that
machine noise hits both alike:
  baseline  clang++-N -fsyntax-only -std=c++20 FILE
  concheck  build/bin/concheck FILE        (parse + every concheck check)
  plugin    clang-tidy-N --load=... --checks=-*,concheck-* FILE
and prints the medians and the ratios to the baseline measured in the same
run. Ratios, not seconds, are the result: the machines are shared and noisy.
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import time


def cache_value(build, key):
    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split("=", 1)[1].strip()
    return None


def timed(cmd, ok_codes):
    start = time.perf_counter()
    rc = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if rc not in ok_codes:
        sys.exit("lint_overhead: %s exited %d" % (" ".join(cmd), rc))
    return elapsed


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--checks", default="concheck-*",
                    help="checks to time, e.g. 'concheck-add-in-task,concheck-missing-done'")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    files = args.files
    if not files:
        files = sorted(glob.glob(os.path.join(here, "inputs", "*.cpp")))
        # A large generated TU (3000+ lines with <thread>, <mutex>, <future>).
        large = os.path.join(build, "bench", "large_tu.cpp")
        os.makedirs(os.path.dirname(large), exist_ok=True)
        subprocess.check_call([sys.executable, os.path.join(here, "gen_large_tu.py"),
                               large, "--functions", "36"])
        files.append(large)
    clangxx = cache_value(build, "CMAKE_CXX_COMPILER")
    tidy = cache_value(build, "CONCHECK_CLANG_TIDY")
    runtime_inc = os.path.join(root, "runtime", "include")
    concheck = os.path.join(build, "bin", "concheck")
    plugin = os.path.join(build, "lib", "libConcheckTidy.so")

    print("%-28s %10s %10s %10s %10s %8s %8s %8s" % (
        "file", "syntax(ms)", "concheck", "plugin", "framework", "cli/syn", "plug/syn",
        "plug/fw"))
    for f in files:
        flags = ["-std=c++20", "-I" + runtime_inc]
        cmds = {
            "baseline": ([clangxx, "-fsyntax-only"] + flags + [f], (0,)),
            "concheck": ([concheck, "--quiet", "--checks=-*," + args.checks, f], (0, 1)),
            "plugin": ([tidy, "--load=" + plugin, "--checks=-*," + args.checks, "--quiet",
                        f, "--"] + flags, (0,)),
            # clang-tidy's own cost (parse + matcher traversal) with one
            # trivial stock check: what any clang-tidy check pays.
            "framework": ([tidy, "--checks=-*,readability-else-after-return", "--quiet",
                           f, "--"] + flags, (0,)),
        }
        times = {k: [] for k in cmds}
        for k, (cmd, ok) in cmds.items():  # warm the page cache once
            timed(cmd, ok)
        for _ in range(args.runs):
            for k, (cmd, ok) in cmds.items():
                times[k].append(timed(cmd, ok))
        med = {k: statistics.median(v) for k, v in times.items()}
        print("%-28s %10.1f %10.1f %10.1f %10.1f %7.2fx %7.2fx %7.2fx" % (
            os.path.basename(f), med["baseline"] * 1e3, med["concheck"] * 1e3,
            med["plugin"] * 1e3, med["framework"] * 1e3,
            med["concheck"] / med["baseline"], med["plugin"] / med["baseline"],
            med["plugin"] / med["framework"]))
    print("ratios (medians of %d runs; checks: %s): cli/syn = concheck over clang "
          "-fsyntax-only; plug/syn = clang-tidy with the plugin over -fsyntax-only; "
          "plug/fw = the plugin run over clang-tidy with one trivial stock check "
          "(the checks' own cost)" % (args.runs, args.checks))


if __name__ == "__main__":
    main()
