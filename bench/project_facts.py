#!/usr/bin/env python3
"""What whole-project facts cost: concheck over a project, cold and warm.

    bench/project_facts.py [--build build] [--runs 5] [--tus 24]

Generates a project of TUS translation units (bench/gen_large_tu.py, so each
is mostly <thread>/<mutex>/<future> as in real code) plus one that defines a
spawn function, a joining pool and a lock wrapper that every fourth unit
calls with no body in sight (so those units are checked again once the facts
are known), with a compile_commands.json. Then times, alternating so that
noise hits all alike, on two cores (-j2):
  parse         clang++-N -fsyntax-only of every unit (two at a time)
  cold          concheck -p PROJECT -j2, its facts cache removed first
  warm          the same with the cache the previous run left
and prints the median CPU time (user + system) of each and the ratios of
each run's CPU time to the parse measured just before it. The goal: cold
and warm within 1.25x of a single parse of every unit. Ratios, not
seconds, are the result: the machines are shared and noisy.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

from benchlib import cache_value, timed_cpu

HEADER = r'''#pragma once
#include <functional>
#include <mutex>
#include <thread>
#include <vector>
namespace proj {
void run_later(std::function<void()> f);
class Pool {
public:
  void submit(std::function<void()> f);
  void wait();
private:
  std::vector<std::thread> workers_;
};
class Latch {
public:
  void Acquire();
  void Release();
private:
  std::mutex mu_;
};
}
'''

DEFS = r'''#include "proj.h"
namespace proj {
void run_later(std::function<void()> f) { std::thread(std::move(f)).detach(); }
void Pool::submit(std::function<void()> f) { workers_.emplace_back(std::move(f)); }
void Pool::wait() { for (auto &t : workers_) t.join(); workers_.clear(); }
void Latch::Acquire() { mu_.lock(); }
void Latch::Release() { mu_.unlock(); }
}
'''

USE = r'''
#include "proj.h"
namespace use_%(i)d {
int counter;
proj::Latch latch;
void uses() {
  proj::Pool pool;
  pool.submit([] { latch.Acquire(); ++counter; latch.Release(); });
  proj::run_later([] { latch.Acquire(); ++counter; latch.Release(); });
  pool.wait();
  latch.Acquire();
  ++counter;
  latch.Release();
}
}
'''


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
    concheck = os.path.join(build, "bin", "concheck")

    project = os.path.join(build, "bench", "facts_project")
    shutil.rmtree(project, ignore_errors=True)
    src = os.path.join(project, "src")
    os.makedirs(src)
    with open(os.path.join(src, "proj.h"), "w") as f:
        f.write(HEADER)
    names = ["proj.cpp"]
    with open(os.path.join(src, "proj.cpp"), "w") as f:
        f.write(DEFS)
    for i in range(args.tus):
        name = "unit_%02d.cpp" % i
        path = os.path.join(src, name)
        subprocess.check_call([sys.executable, os.path.join(here, "gen_large_tu.py"),
                               path, "--functions", "3"])
        if i % 4 == 0:
            with open(path, "a") as f:
                f.write(USE % {"i": i})
        names.append(name)
    flags = ["-std=c++20", "-I" + os.path.join(root, "runtime", "include")]
    entries = [{"directory": project, "file": os.path.join("src", n),
                "arguments": [clangxx] + flags + ["-c", os.path.join("src", n)]}
               for n in names]
    with open(os.path.join(project, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=1)
    cache = os.path.join(project, ".cache", "concheck", "facts.json")

    # Every unit parsed once, two at a time, as concheck -j2 does.
    parse = ["sh", "-c", "printf '%s\\n' " + " ".join(
        os.path.join("src", n) for n in names) +
        " | xargs -P2 -n1 " + clangxx + " -fsyntax-only " + " ".join(flags)]
    check = [concheck, "--quiet", "-p", project, "-j2", src]

    def cold():
        if os.path.exists(cache):
            os.remove(cache)
        return timed_cpu(check, (0, 1), cwd=project)[1]

    def warm():
        return timed_cpu(check, (0, 1), cwd=project)[1]

    timed_cpu(parse, (0,), cwd=project)  # the page cache
    cold()
    cpu = {"parse": [], "cold": [], "warm": []}
    ratio = {"cold": [], "warm": []}
    for _ in range(args.runs):
        for kind, run in (("cold", cold), ("warm", warm)):
            base = timed_cpu(parse, (0,), cwd=project)[1]
            t = run()
            cpu["parse"].append(base)
            cpu[kind].append(t)
            ratio[kind].append(t / base)
    for k in ("parse", "cold", "warm"):
        print("%-6s %8.2f s CPU (median of %d)" % (k, statistics.median(cpu[k]), len(cpu[k])))
    for k in ("cold", "warm"):
        r = statistics.median(ratio[k])
        print("goal %s run within 1.25x of one parse of every unit (%d units): %.2fx: %s" % (
            k, len(names), r, "met" if r <= 1.25 else "not met"))


if __name__ == "__main__":
    main()
