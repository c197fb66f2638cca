#!/usr/bin/env python3
"""Runs the runtime benchmarks and reports each concheck primitive as a ratio
against its baseline measured in the same run.

    runtime/bench/ratios.py BUILD_DIR [--repetitions N] [--min-time S]

Each benchmark is named "<group>/<impl>[/args][/threads:N]"; within a group,
the implementation named "baseline_*" is the reference. The report prints,
for every other implementation, its time per operation divided by the
baseline's (lower is better; 0.95 means 5% faster), using the median of the
repetitions. Goals are checked and printed as met or not met; they never fail
the run: these machines are shared and noisy, so a benchmark is a measurement,
not a test.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

# (group, impl, baseline, goal ratio, what the goal means)
GOALS = [
    ("guarded", "concheck_guarded_with_lock", "baseline_std_mutex_lock_guard", 1.05,
     "guarded<T> within 5% of std::mutex + std::lock_guard"),
    # wait_group_count (one add+done against one count_down: two atomic
    # read-modify-writes against one) is shown, not a goal: the goal is the
    # whole pattern, wait_group_fan_in.
    ("channel_buffered", "concheck_channel", "baseline_mutex_cv_deque", 1 / 1.5,
     "buffered channel at least 1.5x the mutex+condition_variable+deque queue"),
    ("wait_group_fan_in", "concheck_wait_group", "baseline_std_latch", 1.05,
     "a round of N tasks counted, done and waited within 1.05x of std::latch"),
    # Wake-up latency (median; idle and busy:1, every core kept busy).
    ("wake", "concheck_wait_group", "baseline_std_thread_join", 1.0,
     "wait_group::wait() wakes no later than std::thread::join"),
    ("wake", "concheck_semaphore_release", "baseline_std_thread_join", 1.0,
     "semaphore::acquire() wakes no later than std::thread::join"),
    ("wake", "concheck_channel_close", "baseline_std_thread_join", 1.0,
     "a receive() blocked on a channel wakes at close() no later than std::thread::join"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--min-time", default="0.2")
    ap.add_argument("--filter", default="")
    args = ap.parse_args()
    exe = os.path.join(os.path.abspath(args.build), "runtime", "bench", "runtime_bench")
    if not os.access(exe, os.X_OK):
        sys.exit("ratios.py: %s is not built" % exe)
    cmd = [exe, "--benchmark_format=json",
           "--benchmark_repetitions=%d" % args.repetitions,
           "--benchmark_report_aggregates_only=true",
           "--benchmark_min_time=%s" % args.min_time]
    if args.filter:
        cmd.append("--benchmark_filter=" + args.filter)
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout
    data = json.loads(out)

    # name -> median cpu/real time per iteration (real time: threads sleep)
    medians = {}
    units = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        medians[name] = b["real_time"]
        units[name] = b.get("time_unit", "ns")

    groups = defaultdict(dict)  # (group, suffix) -> impl -> time
    unit_of = {}
    for name, t in medians.items():
        parts = name.split("/")
        group, impl, rest = parts[0], parts[1], "/".join(parts[2:])
        groups[(group, rest)][impl] = t
        unit_of[(group, rest, impl)] = units[name]

    print("%-22s %-14s %-38s %12s %8s" % ("group", "args", "implementation", "time/op", "ratio"))
    ratios = {}
    for (group, rest), impls in sorted(groups.items()):
        base = [i for i in impls if i.startswith("baseline_")]
        for impl, t in sorted(impls.items()):
            ratio = ""
            if base and not impl.startswith("baseline_"):
                r = t / impls[base[0]]
                ratios[(group, rest, impl)] = (r, base[0])
                ratio = "%.2fx" % r
            print("%-22s %-14s %-38s %10.1f%s %8s" % (group, rest or "-", impl, t,
                                                     unit_of[(group, rest, impl)], ratio))
    print()
    for group, impl, baseline, goal, text in GOALS:
        found = [(rest, r) for (g, rest, i), (r, b) in ratios.items()
                 if g == group and i == impl and b == baseline]
        for rest, r in sorted(found):
            verdict = "met" if r <= goal else "NOT met"
            print("goal %s [%s]: ratio %.2f (goal <= %.2f): %s" % (text, rest or "-", r, goal, verdict))


if __name__ == "__main__":
    main()
