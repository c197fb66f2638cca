#!/usr/bin/env python3
"""concheck on a whole project: parallel scaling, and against run-clang-tidy.

    bench/project_scaling.py [--build build] [--runs 5] [--tus 24]

Generates a project of TUS translation units (bench/gen_large_tu.py, a few
function groups each, so each TU is mostly <thread>/<mutex>/<future> as in
real code) with a compile_commands.json, then times, alternating so that
noise hits all alike:
  concheck -j1      build/bin/concheck -p PROJECT -j1 PROJECT/src
  concheck -j2      the same with -j2
  run-clang-tidy    run-clang-tidy-N -j2 -load libConcheckTidy.so
                    -checks=-*,concheck-* -p PROJECT  (same checks and TUs)
and prints medians and the ratios measured in the same run. The goals:
-j2 at least 1.8x faster than -j1, and concheck -j2 faster than
run-clang-tidy -j2. Ratios, not seconds, are the result: the machines are
shared and noisy.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

from benchlib import cache_value, timed


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tus", type=int, default=24)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    clangxx = cache_value(build, "CMAKE_CXX_COMPILER")
    version = cache_value(build, "CONCHECK_LLVM_VERSION") or "19"
    run_clang_tidy = shutil.which("run-clang-tidy-" + version) or shutil.which("run-clang-tidy")
    tidy = cache_value(build, "CONCHECK_CLANG_TIDY")
    concheck = os.path.join(build, "bin", "concheck")
    plugin = os.path.join(build, "lib", "libConcheckTidy.so")

    project = os.path.join(build, "bench", "project")
    shutil.rmtree(project, ignore_errors=True)
    src = os.path.join(project, "src")
    os.makedirs(src)
    entries = []
    for i in range(args.tus):
        name = "unit_%02d.cpp" % i
        subprocess.check_call([sys.executable, os.path.join(here, "gen_large_tu.py"),
                               os.path.join(src, name), "--functions", "3"])
        entries.append({
            "directory": project,
            "file": os.path.join("src", name),
            "arguments": [clangxx, "-std=c++20", "-I" + os.path.join(root, "runtime", "include"),
                          "-c", os.path.join("src", name)],
        })
    with open(os.path.join(project, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=1)

    cmds = {
        "concheck -j1": [concheck, "--quiet", "-p", project, "-j1", src],
        "concheck -j2": [concheck, "--quiet", "-p", project, "-j2", src],
    }
    if run_clang_tidy:
        cmds["run-clang-tidy -j2"] = [
            sys.executable, run_clang_tidy, "-quiet", "-j", "2",
            "-clang-tidy-binary", tidy, "-load", plugin,
            "-checks=-*,concheck-*", "-p", project]
    times = {k: [] for k in cmds}
    for cmd in cmds.values():  # warm the page cache once
        timed(cmd, (0, 1), cwd=project)
    for _ in range(args.runs):
        for k, cmd in cmds.items():
            times[k].append(timed(cmd, (0, 1), cwd=project)[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    for k in cmds:
        print("%-22s %8.2f s" % (k, med[k]))
    cores = os.cpu_count()
    speedup = med["concheck -j1"] / med["concheck -j2"]
    print("goal -j2 at least 1.8x faster than -j1 on %d TUs (%d cores): %.2fx: %s" % (
        args.tus, cores, speedup, "met" if speedup >= 1.8 else "not met"))
    if run_clang_tidy:
        ratio = med["concheck -j2"] / med["run-clang-tidy -j2"]
        print("goal concheck -j2 faster than run-clang-tidy -j2 with the plugin: "
              "%.2fx its time: %s" % (ratio, "met" if ratio < 1 else "not met"))
    else:
        print("run-clang-tidy-%s not found: comparison skipped" % version)


if __name__ == "__main__":
    main()
