#!/usr/bin/env python3
"""The real-code sweep: concheck on public projects, every finding judged.

    bench/realworld/run.py --src DIR [--mirror DIR] [--build BUILD_DIR]
                           [--projects a,b] [--no-baseline] [--update-verdicts]

For each project of manifest.json: its sources are DIR/<name> (unpacked from
a fetched snapshot, DIR/<name> or --mirror's <owner>+<name>/repo at the
manifest's commit); it is configured once for a compile database (no build)
into DIR/.build/<name>; concheck checks its units (-j2, JSON); and every
finding is looked up by fingerprint in verdicts/<name>.json, where a person
judged it: bug, false-alarm or style. A plain `clang++-19 -fsyntax-only` of
the same units, measured in the same run, is the baseline for time and
memory.

Prints per project: units, KLOC, findings per check and per verdict, the
findings with no verdict yet, crashes, time and peak memory against the
baseline; then the totals: bugs, false alarms and style notices per 10 KLOC.
Exits 1 when a finding has no verdict or concheck crashed, 2 on a set-up
error. Not part of `make check`: it needs fetched sources (CONTRIBUTING.md).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VERDICTS = ("bug", "false-alarm", "style")
SOURCE_EXTENSIONS = (".c", ".cc", ".cpp", ".cxx", ".h", ".hpp", ".hh", ".ipp")


def fail(message):
    sys.exit("run.py: " + message)


def glob_regex(pattern):
    """A manifest glob, relative to the source directory: '*' stays in one
    path segment, '**/' spans any number of directories, 'dir/**' is
    everything below dir."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def matches(rel, patterns):
    return any(glob_regex(p).match(rel) for p in patterns)


def expand(text, src, build):
    return text.replace("{src}", src).replace("{build}", build)


# --- sources and configuration ---------------------------------------------

def ensure_packages(packages):
    """Installs the Debian packages a project needs to configure and parse."""
    missing = []
    for pkg in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           universal_newlines=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("run.py: installing %s" % " ".join(missing), flush=True)
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing,
                   check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def ensure_sources(project, src, mirror):
    """DIR/<name> at the manifest's commit, unpacked from the mirror when it
    is missing or holds another commit. Returns an error text or None."""
    marker = os.path.join(src, ".concheck-sweep-commit")
    commit = project["commit"]
    if os.path.isdir(src):
        if not os.path.exists(marker):
            return None  # unpacked by hand: taken as it is
        with open(marker, encoding="utf-8") as f:
            if f.read().strip() == commit:
                return None
    if not mirror:
        if os.path.isdir(src):
            return "%s holds another commit than %s; give --mirror to unpack it" % (src, commit)
        return "no sources in %s: fetch github:%s and give --mirror" % (src, project["repo"])
    owner, name = project["repo"].split("/")
    git_dir = os.path.join(mirror, "%s+%s" % (owner, name), "repo")
    if not os.path.isdir(git_dir):
        return "no snapshot of %s in %s (fetch github:%s)" % (project["repo"], mirror, project["repo"])
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    archive = subprocess.Popen(["git", "--git-dir=" + git_dir, "archive", commit],
                               stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", src], stdin=archive.stdout)
    archive.stdout.close()
    if archive.wait() != 0 or untar.returncode != 0:
        return "cannot unpack %s at %s from %s" % (project["repo"], commit, git_dir)
    with open(marker, "w", encoding="utf-8") as f:
        f.write(commit + "\n")
    return None


def synthesize_database(spec, src, build):
    """compile_commands.json from a list of source globs and flags, for
    projects built by hand-written Makefiles."""
    for rel, content in (spec.get("generated") or {}).items():
        path = os.path.join(build, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)
    files = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            rel = os.path.relpath(os.path.join(dirpath, name), src)
            if matches(rel, spec["sources"]) and not matches(rel, spec.get("exclude", [])):
                files.append(rel)
    flags = [expand(f, src, build) for f in spec["flags"]]
    db = [{"directory": build, "file": os.path.join(src, rel),
           "arguments": [spec["compiler"]] + flags +
                        ["-c", os.path.join(src, rel), "-o", rel + ".o"]}
          for rel in sorted(files)]
    with open(os.path.join(build, "compile_commands.json"), "w", encoding="utf-8") as f:
        json.dump(db, f, indent=1)


def configure(project, src, build, log_path):
    """Configures the project for a compile database, once: a stamp keeps
    the configuration it was made with."""
    spec = project["configure"]
    stamp_text = json.dumps([project["commit"], spec], sort_keys=True)
    stamp = os.path.join(build, ".concheck-sweep-configured")
    db = os.path.join(build, "compile_commands.json")
    if os.path.exists(stamp) and os.path.exists(db):
        with open(stamp, encoding="utf-8") as f:
            if f.read() == stamp_text:
                return None
    shutil.rmtree(build, ignore_errors=True)
    os.makedirs(build)
    with open(log_path, "w", encoding="utf-8") as log:
        def run(cmd, cwd):
            return subprocess.run(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT).returncode
        kind = spec["kind"]
        if kind == "cmake":
            source = os.path.join(src, spec["source_subdir"]) if spec.get("source_subdir") else src
            cmd = ["cmake", "-S", source, "-B", build, "-G", "Ninja",
                   "-DCMAKE_C_COMPILER=clang-19", "-DCMAKE_CXX_COMPILER=clang++-19",
                   "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"] + \
                  [expand(a, src, build) for a in spec["args"]]
            if run(cmd, build) != 0:
                return "cmake failed (see %s)" % log_path
        elif kind == "autotools":
            if spec.get("autogen") and run(spec["autogen"], src) != 0:
                return "%s failed (see %s)" % (" ".join(spec["autogen"]), log_path)
            cmd = [os.path.join(src, "configure")] + [expand(a, src, build) for a in spec["args"]]
            if run(cmd, build) != 0:
                return "configure failed (see %s)" % log_path
            synthesize_database(spec["then"], src, build)
        elif kind == "database":
            synthesize_database(spec, src, build)
        else:
            return "unknown configure kind '%s'" % kind
    if not os.path.exists(db):
        return "configuring wrote no compile_commands.json (see %s)" % log_path
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(stamp_text)
    return None


def units_of(project, src, build):
    """The database entries to check: all but units.exclude."""
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        db = json.load(f)
    excludes = [expand(e, src, build) for e in project["units"]["exclude"]]
    out = []
    for entry in db:
        path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        rel = os.path.relpath(path, src) if path.startswith(src + os.sep) else path
        if any(rel == e or matches(rel, [e]) for e in excludes):
            continue
        out.append(dict(entry, path=path))
    return out


def kloc_of(project, src):
    """Thousands of non-blank lines of the project's own code."""
    lines = 0
    for rel in own_files(project, src):
        with open(os.path.join(src, rel), "rb") as f:
            lines += sum(1 for line in f if line.strip())
    return lines / 1000.0


# What starts a thread, as code spells it: where the task-start census looks
# (each place is then modelled by concheck, or judged in the verdict file).
START_PATTERN = re.compile(r"""
    \bstd::j?thread\s*(?:\w+\s*)?[({]          # std::thread t(f), std::thread(f)
  | \b\w*(?:thread|worker)\w*\s*(?:\.|->)\s*emplace_back\s*\(  # threads.emplace_back(f)
  | \bpthread_create\s*\(
  | \bthrd_create\s*\(
  | \buv_thread_create(?:_ex)?\s*\(
  | \buv_queue_work\s*\(
  | \bstd::async\s*\(
  | \bCreateThread\s*\(
  | \b_beginthread(?:ex)?\s*\(
""", re.X)


def own_files(project, src):
    """The project's own source files (manifest own_code), relative to src."""
    own = project["own_code"]
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.endswith(SOURCE_EXTENSIONS):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), src)
            if matches(rel, own["include"]) and not matches(rel, own.get("exclude", [])):
                yield rel


def start_census(project, src, report):
    """The places in the project's own code that start a task: the lines
    START_PATTERN finds (outside comments) and the task starts concheck
    modelled (--stats sites). {(file, line): {code, modelled: via or None}}."""
    found = {}
    own = set(own_files(project, src))
    for rel in own:
        with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f, 1):
                code = line.strip()
                if code.startswith(("//", "*", "/*", "#")) or not START_PATTERN.search(line):
                    continue
                found[(rel, i)] = {"code": " ".join(code.split()), "modelled": None}
    for site in ((report or {}).get("stats") or {}).get("sites", []):
        key = (site["file"], site["line"])
        if site["file"] not in own:
            continue
        entry = found.setdefault(key, {"code": line_text(src, site), "modelled": None})
        entry["modelled"] = "%s %s" % (site["kind"], site["via"])
    return found


# --- measuring -----------------------------------------------------------------

def run_measured(cmd, cwd=None, stdout=subprocess.DEVNULL):
    """Exit code, wall seconds, CPU seconds and peak RSS (KiB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE,
                            universal_newlines=True)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return dict(code=proc.returncode, wall=time.perf_counter() - start,
                cpu=usage.ru_utime + usage.ru_stime, rss=usage.ru_maxrss,
                start=start, end=time.perf_counter(), stderr=stderr)


def syntax_only_command(entry):
    """The unit's own command with -fsyntax-only in place of compiling."""
    args = entry.get("arguments") or split_command(entry["command"])
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-c", "-S", "-E"):
            continue
        if a == "-o":
            skip = True
            continue
        if a.startswith("-o") and len(a) > 2:
            continue
        out.append(a)
    return out + ["-fsyntax-only", "-w"]


def split_command(command):
    return shlex.split(command)


def overlapping_peak(runs):
    """The peak memory of processes run side by side: each one's peak plus
    the largest peak among those whose runs overlap it."""
    peak = 0
    for r in runs:
        others = [o["rss"] for o in runs
                  if o is not r and o["start"] < r["end"] and r["start"] < o["end"]]
        peak = max(peak, r["rss"] + max(others, default=0))
    return peak


def baseline(units, jobs):
    """clang++-19 -fsyntax-only on each unit, `jobs` processes at a time:
    wall and CPU seconds, and the peak memory of the processes running
    together. clang's driver runs each input in a process of its own, whose
    start-up (about 0.1 s) weighs on a project of small files."""
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = list(pool.map(lambda e: run_measured(syntax_only_command(e), cwd=e["directory"]),
                             units))
    return dict(wall=time.perf_counter() - start, cpu=sum(r["cpu"] for r in runs),
                rss=overlapping_peak(runs), failed=sum(1 for r in runs if r["code"] != 0))


def frontend_baseline(units, build, jobs):
    """The same front end as concheck, with no checks: clang-check-19 (a
    syntax-only ClangTool) on the units' files, `jobs` processes splitting
    them, so that process start-up weighs on both sides alike. The ratio to
    this is what the checks cost."""
    files = sorted({u["path"] for u in units})
    shares = [files[i::jobs] for i in range(jobs) if files[i::jobs]]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = list(pool.map(lambda part: run_measured(
            ["clang-check-19", "-p", build, "--extra-arg=-w"] + part), shares))
    return dict(wall=time.perf_counter() - start, cpu=sum(r["cpu"] for r in runs),
                rss=overlapping_peak(runs))


def run_concheck(concheck, src, build, units, jobs, out_json):
    files = sorted({u["path"] for u in units})
    # concheck's defaults, not the project's .clang-tidy: the sweep judges
    # what a new user gets.
    cmd = [concheck, "-p", build, "--root", src, "-j%d" % jobs, "--format=json",
           "--config={}", "--quiet", "--stats", "-o", out_json] + files
    r = run_measured(cmd)
    report = None
    if os.path.exists(out_json):
        try:
            with open(out_json, encoding="utf-8") as f:
                report = json.load(f)
        except ValueError:
            report = None
    r["report"] = report
    r["crashed"] = r["code"] not in (0, 1, 2) or report is None
    return r


def print_modelled(report):
    """What concheck's model recognised in the project (--stats): task starts
    by kind, with the executors and inferred spawn functions by name."""
    stats = (report or {}).get("stats")
    if not stats:
        return
    total = stats["total"]
    starts = total.get("task_starts", {})
    count = sum(sum(names.values()) for names in starts.values())
    kinds = ", ".join("%s %d" % (k, sum(starts[k].values())) for k in sorted(starts))
    print("  modelled: %d task starts%s; %d joins; %d lock sites; %d guards" % (
        count, " (%s)" % kinds if kinds else "", sum(total["joins"].values()),
        sum(total["mutexes"].values()), sum(total["guards"].values())))
    for kind in ("executor", "inferred", "configured"):
        names = starts.get(kind)
        if names:
            print("    %s: %s" % (kind, ", ".join(
                "%s %d" % (n, c) for n, c in sorted(names.items(), key=lambda x: -x[1])[:8])))
    if total["mutexes"]:
        print("    mutex types: %s" % ", ".join(
            "%s %d" % (n, c) for n, c in sorted(total["mutexes"].items(), key=lambda x: -x[1])[:8]))


# --- verdicts --------------------------------------------------------------------

def verdict_path(name):
    return os.path.join(HERE, "verdicts", name + ".json")


def load_verdicts(name):
    path = verdict_path(name)
    if not os.path.exists(path):
        return {"project": name, "findings": []}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for v in data["findings"]:
        if v.get("verdict") not in VERDICTS + (None,):
            fail("%s: '%s' is not a verdict (one of %s) for %s" %
                 (path, v.get("verdict"), ", ".join(VERDICTS), v.get("fingerprint")))
        if v.get("verdict") and not v.get("why"):
            fail("%s: the verdict for %s says no why" % (path, v["fingerprint"]))
    for v in data.get("task_starts", []):
        if v.get("verdict") not in START_VERDICTS + (None,) or (v.get("verdict") and not v.get("why")):
            fail("%s: task start %s:%s needs a verdict (one of %s) with a why" %
                 (path, v.get("file"), v.get("line"), ", ".join(START_VERDICTS)))
    return data


def line_text(src, finding):
    try:
        with open(os.path.join(src, finding["file"]), encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f, 1):
                if i == finding["line"]:
                    return " ".join(line.split())
    except OSError:
        pass
    return ""


START_VERDICTS = ("start", "not-a-start")


def census_verdicts(data, census):
    """The census as the verdict file keeps it: a modelled place is a start
    (concheck says how); another keeps its judgement (start: a task start
    concheck does not model; not-a-start: the pattern matched something
    else), or waits for one."""
    judged = {(v["file"], v["line"]): v for v in data.get("task_starts", [])}
    out = []
    for (rel, line), entry in sorted(census.items()):
        v = judged.get((rel, line), {})
        if entry["modelled"]:
            verdict, why = "start", "modelled: " + entry["modelled"]
        else:
            verdict, why = v.get("verdict"), v.get("why", "")
            if (v.get("why") or "").startswith("modelled: "):
                verdict, why = None, ""
        out.append({"file": rel, "line": line, "code": entry["code"],
                    "modelled": bool(entry["modelled"]), "verdict": verdict, "why": why})
    return out


def census_counts(data, census):
    """(starts, modelled starts, places without a verdict)."""
    rows = census_verdicts(data, census)
    starts = sum(1 for r in rows if r["verdict"] == "start")
    modelled = sum(1 for r in rows if r["modelled"])
    return starts, modelled, sum(1 for r in rows if r["verdict"] is None)


def save_verdicts(name, commit, data, findings, src, prune, census=None):
    """Adds the findings without a verdict (verdict null, to fill in) and
    refreshes where each judged finding is now; with prune, drops the
    verdicts of findings that are gone (a false alarm fixed, code changed)."""
    if prune:
        current = {f["fingerprint"] for f in findings}
        data["findings"] = [v for v in data["findings"] if v["fingerprint"] in current]
    by_fp = {v["fingerprint"]: v for v in data["findings"]}
    for f in findings:
        v = by_fp.get(f["fingerprint"])
        if v is None:
            v = {"fingerprint": f["fingerprint"], "verdict": None, "why": ""}
            data["findings"].append(v)
            by_fp[f["fingerprint"]] = v
        v.update(check=f["check"], file=f["file"], line=f["line"],
                 message=f["message"], code=line_text(src, f))
    data["commit"] = commit
    data["findings"].sort(key=lambda v: (v.get("file", ""), v.get("line", 0), v["fingerprint"]))
    os.makedirs(os.path.dirname(verdict_path(name)), exist_ok=True)
    keys = ("fingerprint", "verdict", "why", "check", "file", "line", "message", "code")
    ordered = {"project": name, "commit": commit,
               "findings": [{k: v.get(k) for k in keys} for v in data["findings"]]}
    if census is not None:
        ordered["task_starts"] = census_verdicts(data, census)
    with open(verdict_path(name), "w", encoding="utf-8") as f:
        json.dump(ordered, f, indent=1, ensure_ascii=False)
        f.write("\n")


# --- the sweep -------------------------------------------------------------------

def ratio(a, b):
    return "%.2f" % (a / b) if b else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", required=True, help="folder of the projects' sources (DIR/<name>)")
    ap.add_argument("--mirror", help="folder of fetched snapshots (<owner>+<name>/repo), "
                                      "to unpack missing sources from")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="concheck's build directory (default: build)")
    ap.add_argument("--cache", help="where projects are configured (default: SRC/.build)")
    ap.add_argument("--projects", help="comma-separated names (default: all)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the clang -fsyntax-only baseline (no time or memory ratios)")
    ap.add_argument("--update-verdicts", action="store_true",
                    help="add the findings without a verdict to verdicts/<name>.json, to judge")
    ap.add_argument("--prune", action="store_true",
                    help="with --update-verdicts: drop the verdicts of findings that are gone")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()

    with open(os.path.join(HERE, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    projects = manifest["projects"]
    if args.projects:
        wanted = args.projects.split(",")
        unknown = sorted(set(wanted) - {p["name"] for p in projects})
        if unknown:
            fail("no project named %s in manifest.json" % ", ".join(unknown))
        projects = [p for p in projects if p["name"] in wanted]
    concheck = os.path.join(os.path.abspath(args.build), "bin", "concheck")
    if not os.access(concheck, os.X_OK):
        fail("%s is missing: build concheck first (make)" % concheck)
    src_root = os.path.abspath(args.src)
    cache = os.path.abspath(args.cache or os.path.join(src_root, ".build"))
    os.makedirs(cache, exist_ok=True)

    totals = collections.Counter()
    table = []
    unjudged_all = []
    setup_errors = []
    for project in projects:
        name = project["name"]
        src = os.path.join(src_root, name)
        build = os.path.join(cache, name)
        error = ensure_sources(project, src, args.mirror)
        if not error:
            ensure_packages(project.get("packages", []) +
                            ([] if args.no_baseline else ["clang-tools-19"]))
            error = configure(project, src, build, os.path.join(cache, name + ".configure.log"))
        if error:
            print("run.py: %s: %s" % (name, error), file=sys.stderr)
            setup_errors.append(name)
            continue
        units = units_of(project, src, build)
        kloc = kloc_of(project, src)
        print("run.py: %s: %d units, %.1f KLOC" % (name, len(units), kloc), flush=True)
        out_json = os.path.join(cache, name + ".concheck.json")
        lint = run_concheck(concheck, src, build, units, args.jobs, out_json)
        report = lint["report"] or {"findings": [], "errors": []}
        findings = [f for f in report["findings"] if f["check"].startswith("concheck-")]
        base = front = None
        if not args.no_baseline:
            base = baseline(units, args.jobs)
            front = frontend_baseline(units, build, args.jobs)

        data = load_verdicts(name)
        judged = {v["fingerprint"]: v for v in data["findings"] if v.get("verdict")}
        per_check = collections.Counter(f["check"] for f in findings)
        per_verdict = collections.Counter()
        unjudged = []
        for f in findings:
            v = judged.get(f["fingerprint"])
            if v:
                per_verdict[v["verdict"]] += 1
            else:
                unjudged.append(f)
                unjudged_all.append((name, f))
        stale = sorted(set(judged) - {f["fingerprint"] for f in findings})
        census = start_census(project, src, lint["report"])
        starts, modelled, start_unjudged = census_counts(data, census)
        if args.update_verdicts:
            save_verdicts(name, project["commit"], data, findings, src, args.prune, census)

        row = dict(project=name, language=project["language"], units=len(units),
                   files=len({u["path"] for u in units}), kloc=kloc,
                   findings=len(findings), per_check=dict(per_check),
                   per_verdict=dict(per_verdict), unjudged=len(unjudged),
                   stale_verdicts=len(stale), crashed=lint["crashed"],
                   errors=len(report.get("errors", [])),
                   task_starts=starts, task_starts_modelled=modelled,
                   task_start_places_unjudged=start_unjudged,
                   time_s=lint["wall"], cpu_s=lint["cpu"], rss_kib=lint["rss"])
        if base:
            row.update(base_time_s=base["wall"], base_cpu_s=base["cpu"],
                       base_rss_kib=base["rss"], base_failed=base["failed"],
                       front_time_s=front["wall"], front_cpu_s=front["cpu"],
                       front_rss_kib=front["rss"])
        table.append(row)
        totals.update(kloc=kloc, units=len(units), findings=len(findings),
                      unjudged=len(unjudged), crashes=int(lint["crashed"]),
                      starts=starts, starts_modelled=modelled,
                      start_unjudged=start_unjudged,
                      time=lint["wall"], cpu=lint["cpu"],
                      base_time=base["wall"] if base else 0,
                      base_cpu=base["cpu"] if base else 0,
                      front_cpu=front["cpu"] if front else 0)
        for k, n in per_verdict.items():
            totals[k] += n

        print("  findings: %d (%s)" % (len(findings), ", ".join(
            "%s %d" % (c, n) for c, n in sorted(per_check.items())) or "none"))
        print("  verdicts: %s; no verdict yet: %d; stale verdicts: %d" % (
            ", ".join("%s %d" % (v, per_verdict[v]) for v in VERDICTS), len(unjudged), len(stale)))
        for fp in stale:
            v = judged[fp]
            print("  stale: %s:%s: %s (%s, no longer reported)" % (
                v.get("file"), v.get("line"), v.get("message"), v["verdict"]))
        print_modelled(lint["report"])
        print("  task starts (census): %d modelled of %d judged starts (%s%%); "
              "%d places without a verdict" % (
                  modelled, starts, "%.0f" % (100.0 * modelled / starts) if starts else "-",
                  start_unjudged))
        print("  crashed: %s; files concheck could not check fully: %d" % (
            "yes" if lint["crashed"] else "no", row["errors"]))
        if base:
            print("  time: concheck %.1f s (CPU %.1f s); clang++-19 -fsyntax-only per unit "
                  "%.1f s (CPU %.1f s): x%s CPU; the same front end with no checks "
                  "%.1f s (CPU %.1f s): x%s CPU"
                  % (lint["wall"], lint["cpu"], base["wall"], base["cpu"],
                     ratio(lint["cpu"], base["cpu"]), front["wall"], front["cpu"],
                     ratio(lint["cpu"], front["cpu"])))
            print("  peak memory: concheck %d MiB; clang++-19 %d MiB (x%s); the same front end %d MiB (x%s)"
                  % (lint["rss"] // 1024, base["rss"] // 1024, ratio(lint["rss"], base["rss"]),
                     front["rss"] // 1024, ratio(lint["rss"], front["rss"])))
            if base["failed"]:
                print("  note: %d units did not parse with clang++-19 -fsyntax-only" % base["failed"])
        if lint["crashed"]:
            print("  concheck exited %d: %s" % (lint["code"], lint["stderr"].strip()[-400:]))
        sys.stdout.flush()

    kloc = totals["kloc"] or 1
    print()
    print("%-16s %6s %7s %8s %5s %6s %6s %9s %8s %7s %7s" % (
        "project", "units", "KLOC", "findings", "bugs", "false", "style", "unjudged", "crashed",
        "x clang", "x front"))
    for r in table:
        pv = r["per_verdict"]
        print("%-16s %6d %7.1f %8d %5d %6d %6d %9d %8s %7s %7s" % (
            r["project"], r["units"], r["kloc"], r["findings"], pv.get("bug", 0),
            pv.get("false-alarm", 0), pv.get("style", 0), r["unjudged"],
            "yes" if r["crashed"] else "no",
            ratio(r["cpu_s"], r.get("base_cpu_s", 0)),
            ratio(r["cpu_s"], r.get("front_cpu_s", 0))))
    print("total: %d projects, %d units, %.1f KLOC; %d findings: %d bugs, "
          "%.2f false alarms per 10 KLOC (%d), %.2f style notices per 10 KLOC (%d); "
          "%d without a verdict; %d crashes; CPU x%s of clang++-19 -fsyntax-only per unit, "
          "x%s of the same front end with no checks"
          % (len(table), totals["units"], totals["kloc"], totals["findings"], totals["bug"],
             10 * totals["false-alarm"] / kloc, totals["false-alarm"],
             10 * totals["style"] / kloc, totals["style"], totals["unjudged"],
             totals["crashes"], ratio(totals["cpu"], totals["base_cpu"]),
             ratio(totals["cpu"], totals["front_cpu"])))
    print("task starts: %d of %d judged starts modelled (%s%%); %d places without a verdict"
          % (totals["starts_modelled"], totals["starts"],
             "%.0f" % (100.0 * totals["starts_modelled"] / totals["starts"])
             if totals["starts"] else "-", totals["start_unjudged"]))
    for name, f in unjudged_all:
        print("no verdict: %s: %s:%d: %s [%s] (%s)" % (
            name, f["file"], f["line"], f["message"], f["check"], f["fingerprint"]))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"projects": table, "totals": dict(totals)}, f, indent=1)
    if setup_errors:
        return 2
    return 1 if totals["unjudged"] or totals["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
