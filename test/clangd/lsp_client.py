#!/usr/bin/env python3
"""Minimal LSP client that asks clangd for one file's diagnostics (stdlib only).

Usage:
  lsp_client.py --clangd PATH --file SRC [--workspace DIR] [--timeout SECONDS]
                [--expect-none] [--raw-messages] [--resource-dir DIR]
                [--details] [--verbose] [-- extra clangd args]

--workspace defaults to SRC's directory; it is the LSP root and where
compile_commands.json / compile_flags.txt are looked for. clangd finds .clangd
files by itself, upward from SRC.

What it does
  1. Starts clangd over stdio with `--log=error --background-index=false
     --compile-commands-dir=DIR` (each left out if the same option is among the
     extra args, since clangd rejects a repeated option) and, when clangd's own
     resource dir is missing, `--resource-dir=` (see "Resource dir" below).
  2. initialize / initialized, then textDocument/didOpen for SRC (languageId
     cpp, version 1).
  3. Reads messages until a textDocument/publishDiagnostics for SRC's URI
     contains at least one diagnostic whose `source` is "clang-tidy" (clangd
     may first publish an empty or compiler-only set; each publish replaces the
     previous one), or until --timeout (default 60 s) runs out.
     With --expect-none it stops at the first publishDiagnostics for SRC
     instead, whatever it holds (clangd publishes exactly one set per AST
     build, and clang-tidy runs inside that build, so that set is final for
     the opened version). --expect-none asserts nothing itself: a test pipes
     the output to FileCheck with CHECK-NOT / --implicit-check-not, ideally
     with a positive control (a stock check that must fire in the same set).
     Only publishes for version 1 (or without a version) are considered.
  4. shutdown / exit, waits (bounded) for clangd to end, and kills it if it
     does not.

Output (stdout), one line per diagnostic, sorted by position (line, column,
then the order clangd sent them):
  FILE:LINE:COL: SEVERITY: MESSAGE [CODE]
  * FILE is the path given with --file (made absolute); for locations in other
    files, the path from that location's URI.
  * LINE and COL are 1-based; COL counts bytes like clang does (the client asks
    for UTF-8 positions and converts from UTF-16 if clangd insists on it).
  * SEVERITY is error / warning / info / hint (LSP severities 1..4). clangd
    sends a standalone clang note as "info".
  * MESSAGE is the message as clang / clang-tidy would print it, so the line
    reads like clang-tidy's own output: clangd decorates every message by
    capitalizing its first letter ("mutex 'm' ..." arrives as
    "Mutex 'm' ...") and appending " (fix available)" / " (fixes available)"
    when it has fix-its; the client strips that suffix and lowercases the
    first letter when it is an uppercase letter followed by a lowercase one
    (clang messages start in lower case; "C-style ...", "RAII ..." and
    "'return' ..." are left alone). --raw-messages prints clangd's text
    unchanged. Newlines are written as "\\n" in either case.
  * [CODE] is the diagnostic's `code`: the check name for clang-tidy
    diagnostics (source "clang-tidy"), the clang diagnostic name for compiler
    diagnostics (e.g. [undeclared_var_use]), clangd's own codes otherwise
    (e.g. [unused-includes]). Omitted when clangd sends no code.

Notes: the client advertises textDocument.publishDiagnostics.relatedInformation,
so clangd attaches a diagnostic's notes as `relatedInformation` instead of
folding them into the message text and repeating them as extra "info"
diagnostics. Each related item is printed on its own line directly after its
parent diagnostic (not sorted separately), in clangd's order, as
  FILE:LINE:COL: note: MESSAGE
(no [CODE]; a note belongs to its parent). So a CHECK for a warning can be
followed by a CHECK-NEXT for its note.

--details adds what an editor shows beside the message: a first line
  server: NAME VERSION
from the initialize result's serverInfo, and after each diagnostic (and its
notes)
  doc: HREF        its codeDescription (the link to the check's docs)
  fix: TITLE       each quick fix clangd attached to it (codeActionsInline)
  action: TITLE    each quick fix textDocument/codeAction offers for it
                   (asked once per clang-tidy diagnostic)

Diagnostics for other URIs (e.g. clangd reporting problems in a .clangd
config file) are not printed; --verbose reports them on stderr.

Compile commands: if the workspace holds a compile_commands.json, clangd gets
`--compile-commands-dir=WORKSPACE`. Otherwise the client writes one into a
private temporary directory and points clangd at that. Its one entry is
`CLANG++ FLAGS -c SRC`: CLANG++ is the clang++ beside clangd or else
/usr/lib/llvm-<major>/bin/clang++ (a bare "clang++" would be looked up on
PATH, where Debian may have another LLVM's), FLAGS the lines of
WORKSPACE/compile_flags.txt if there is one. Either way clangd never searches
SRC's parent directories for a compilation database, which matters because
lit's %t lives inside the build tree and the build tree has a
compile_commands.json of its own (a database that lacks SRC would lend it the
flags of its nearest entry). Flags from the .clangd (CompileFlags: Add) are
applied on top by clangd as usual.

Config isolation: clangd is started with XDG_CONFIG_HOME pointing at an empty
temporary directory, so a user config (~/.config/clangd/config.yaml) cannot
change the result. Project config (.clangd files in SRC's directory and all of
its ancestors) is read as usual; the client warns on stderr when an ancestor
of the workspace has a .clangd, because its settings merge into the test's
(a FastCheckFilter set there applies unless the nearer .clangd sets it too).
.clang-tidy files in SRC's ancestors are read too; a .clangd's
Diagnostics.ClangTidy.Add/Remove is applied after them.

Resource dir: clangd finds the builtin headers (stddef.h, ...) in
<dir of its executable>/../lib/clang/<major>. A clangd built in a project's
build/bin has no such directory, so unless --resource-dir is given (or the
extra args contain --resource-dir), the client checks for it and, when it is
missing, passes /usr/lib/llvm-<major>/lib/clang/<major> (the major version
taken from `clangd --version`) or, failing that, what
`clang++-<major> -print-resource-dir` prints. (Debian's clang also searches
/usr/include/clang/<version>/include, so there a missing resource dir goes
unnoticed; elsewhere it breaks <stddef.h> and everything that includes it.)

Exit status: 0 when the awaited diagnostics arrived (for --expect-none: when
the first publish arrived, whatever it held) and clangd then shut down
cleanly; 1 on timeout, if clangd exited or crashed early, or did not shut down
cleanly, with a one-line error on stderr (on timeout the last set received, if
any, is still printed to stdout to help debugging); 2 for usage errors.
"""

import argparse
import functools
import glob
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

PROG = "lsp_client.py"
SEVERITIES = {1: "error", 2: "warning", 3: "info", 4: "hint"}
_EOF = object()  # reader-thread sentinel: clangd closed its stdout


def die(msg, code=1):
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(code)


def path_to_uri(path):
    return Path(path).as_uri()


def uri_to_path(uri):
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "file":
        return uri
    return urllib.parse.unquote(parsed.path)


def same_file(a, b):
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except OSError:
        return a == b


class Server:
    """clangd over stdio with Content-Length framing.

    Threads do all blocking I/O: one parses stdout into a queue, one drains
    stderr, one writes stdin from an outbox (so a clangd that stops reading
    cannot block us on a full pipe). The main thread only waits on the queue,
    always with a deadline.
    """

    def __init__(self, argv, env, verbose):
        self.verbose = verbose
        self.messages = queue.Queue()
        self.stderr_lines = []
        self.next_id = 1
        self.outbox = queue.Queue()
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        self.stderr_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self.stderr_thread.start()
        threading.Thread(target=self._write_stdin, daemon=True).start()

    def _read_stdout(self):
        out = self.proc.stdout
        try:
            while True:
                headers = {}
                while True:
                    line = out.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        if headers:
                            break
                        continue  # tolerate stray blank lines between messages
                    name, _, value = line.decode("ascii", "replace").partition(":")
                    headers[name.strip().lower()] = value.strip()
                try:
                    length = int(headers["content-length"])
                except (KeyError, ValueError):
                    self.messages.put(ValueError(f"bad LSP header {headers!r}"))
                    return
                body = b""
                while len(body) < length:
                    chunk = out.read(length - len(body))
                    if not chunk:
                        return
                    body += chunk
                try:
                    msg = json.loads(body.decode("utf-8"))
                except ValueError as e:
                    self.messages.put(ValueError(f"bad JSON from clangd: {e}"))
                    return
                if self.verbose:
                    print(f"<-- {json.dumps(msg)}", file=sys.stderr)
                self.messages.put(msg)
        finally:
            self.messages.put(_EOF)

    def _read_stderr(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.stderr_lines.append(line)
            if self.verbose:
                print(f"clangd: {line}", file=sys.stderr)

    def _write_stdin(self):
        stdin = self.proc.stdin
        try:
            while True:
                data = self.outbox.get()
                if data is None:
                    break
                stdin.write(data)
                stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # clangd is gone; the reader sees EOF and we report that
        finally:
            try:
                stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass

    def send(self, msg):
        msg = dict(msg, jsonrpc="2.0")
        if self.verbose:
            print(f"--> {json.dumps(msg)}", file=sys.stderr)
        body = json.dumps(msg).encode("utf-8")
        self.outbox.put(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def close_stdin(self):
        """Close clangd's stdin once everything queued before has been sent."""
        self.outbox.put(None)

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        msg = {"id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def notify(self, method, params=None):
        msg = {"method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def reply(self, rid, result):
        self.send({"id": rid, "result": result})

    def next_message(self, deadline):
        """Next message, _EOF, or None when the deadline passes."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        try:
            return self.messages.get(timeout=remaining)
        except queue.Empty:
            return None

    def settle(self, timeout=2.0):
        """After EOF on stdout: give clangd a moment to finish dying and to
        flush stderr, so the exit status and last stderr line are known."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return
        self.stderr_thread.join(timeout=timeout)

    def describe_exit(self):
        rc = self.proc.poll()
        if rc is None:
            return "clangd closed its output"
        if rc < 0:
            return f"clangd died from signal {-rc}"
        return f"clangd exited with status {rc}"

    def stderr_tail(self):
        tail = [l for l in self.stderr_lines if l.strip()][-1:]
        return f" (last stderr line: {tail[0].strip()})" if tail else ""

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


@functools.lru_cache(maxsize=None)
def clangd_major(clangd):
    try:
        out = subprocess.run([clangd, "--version"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"clangd version (\d+)\.", out)
    return m.group(1) if m else None


def pick_driver(clangd):
    """Absolute clang++ for the generated compile command. clangd would look a
    bare "clang++" up on PATH, and that may be another LLVM's (Debian's
    /usr/bin/clang++ need not be version <major>)."""
    major = clangd_major(clangd)
    candidates = [os.path.join(os.path.dirname(os.path.realpath(clangd)), "clang++")]
    if major:
        candidates.append(f"/usr/lib/llvm-{major}/bin/clang++")
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return "clang++"


def builtin_headers_ok(resource_dir):
    return os.path.isfile(os.path.join(resource_dir, "include", "stddef.h"))


def pick_resource_dir(clangd):
    """None when clangd's own resource dir works, else a directory to pass."""
    bindir = os.path.dirname(os.path.realpath(clangd))
    major = clangd_major(clangd)
    own = os.path.join(bindir, "..", "lib", "clang", major or "*")
    if any(builtin_headers_ok(d) for d in glob.glob(own)):
        return None
    if major:
        debian = f"/usr/lib/llvm-{major}/lib/clang/{major}"
        if builtin_headers_ok(debian):
            return debian
    for cxx in ([f"clang++-{major}"] if major else []) + ["clang++"]:
        exe = shutil.which(cxx)
        if not exe:
            continue
        try:
            out = subprocess.run([exe, "-print-resource-dir"],
                                 stdin=subprocess.DEVNULL, capture_output=True,
                                 text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out and builtin_headers_ok(out):
            return out
    print(f"{PROG}: warning: no clang resource dir found for {clangd}; "
          "builtin headers may be missing", file=sys.stderr)
    return None


def has_option(args, name):
    return any(a == name or a.startswith(name + "=") for a in args)


def utf16_to_byte_col(line_text, utf16_col):
    """Byte offset in line_text (UTF-8) of the UTF-16 code unit offset."""
    units = 0
    for i, ch in enumerate(line_text):
        if units >= utf16_col:
            return len(line_text[:i].encode("utf-8"))
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(line_text.encode("utf-8")) + (utf16_col - units)


_FIXES_SUFFIX = re.compile(r" \((?:fix|fixes) available\)$")


def clang_style(msg):
    """Undo clangd's presentation of a message (see "MESSAGE" in the docstring)."""
    msg = _FIXES_SUFFIX.sub("", msg)
    if len(msg) >= 2 and "A" <= msg[0] <= "Z" and msg[1].islower():
        msg = msg[0].lower() + msg[1:]
    return msg


class Printer:
    def __init__(self, main_path, encoding, raw_messages):
        self.main_path = main_path
        self.encoding = encoding
        self.raw_messages = raw_messages
        self.line_cache = {}

    def message(self, text):
        if not self.raw_messages:
            text = clang_style(text)
        return text.replace("\n", "\\n")

    def _lines(self, path):
        if path not in self.line_cache:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    self.line_cache[path] = f.read().split("\n")
            except OSError:
                self.line_cache[path] = []
        return self.line_cache[path]

    def position(self, path, pos):
        line, col = pos.get("line", 0), pos.get("character", 0)
        if self.encoding == "utf-16":
            lines = self._lines(path)
            if line < len(lines):
                col = utf16_to_byte_col(lines[line], col)
        elif self.encoding == "utf-32":
            lines = self._lines(path)
            if line < len(lines):
                col = len(lines[line][:col].encode("utf-8"))
        return line + 1, col + 1

    def display_path(self, uri):
        path = uri_to_path(uri)
        return self.main_path if same_file(path, self.main_path) else path

    def lines_for(self, diags, actions=None):
        keyed = []
        for order, d in enumerate(diags):
            start = d.get("range", {}).get("start", {})
            line, col = self.position(self.main_path, start)
            sev = SEVERITIES.get(d.get("severity"), "info")
            msg = self.message(d.get("message", ""))
            code = d.get("code")
            text = f"{self.main_path}:{line}:{col}: {sev}: {msg}"
            if code not in (None, ""):
                text += f" [{code}]"
            out = [text]
            for rel in d.get("relatedInformation") or []:
                loc = rel.get("location", {})
                rpath = self.display_path(loc.get("uri", ""))
                rline, rcol = self.position(
                    uri_to_path(loc.get("uri", "")),
                    loc.get("range", {}).get("start", {}))
                rmsg = self.message(rel.get("message", ""))
                out.append(f"{rpath}:{rline}:{rcol}: note: {rmsg}")
            if actions is not None:
                href = (d.get("codeDescription") or {}).get("href")
                if href:
                    out.append(f"  doc: {href}")
                for a in d.get("codeActions") or []:
                    out.append(f"  fix: {a.get('title', '')}")
                for title in actions.get(order, []):
                    out.append(f"  action: {title}")
            keyed.append(((line, col, order), out))
        keyed.sort(key=lambda k: k[0])
        return [l for _, out in keyed for l in out]


def parse_args(argv):
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(
        prog=PROG, description=__doc__.split("\n\n")[0],
        epilog="Arguments after -- are passed to clangd unchanged.")
    p.add_argument("--clangd", required=True, help="clangd executable")
    p.add_argument("--file", required=True, help="source file to open")
    p.add_argument("--workspace", help="workspace root (default: the file's directory)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds to wait for diagnostics (default 60)")
    p.add_argument("--expect-none", action="store_true",
                   help="don't wait for clang-tidy diagnostics: print the first "
                        "set clangd publishes for the file (one per AST build)")
    p.add_argument("--raw-messages", action="store_true",
                   help="print messages exactly as clangd sent them "
                        "(capitalized, with '(fix available)')")
    p.add_argument("--resource-dir",
                   help="clang resource dir for clangd (default: auto, see docstring)")
    p.add_argument("--details", action="store_true",
                   help="also print serverInfo, each diagnostic's docs link "
                        "and its quick fixes' titles")
    p.add_argument("--verbose", action="store_true",
                   help="echo LSP traffic and clangd's stderr to stderr")
    args = p.parse_args(argv)
    args.extra = extra
    return args


def main(argv):
    args = parse_args(argv)
    deadline = time.monotonic() + args.timeout

    clangd = shutil.which(args.clangd) or args.clangd
    if not os.path.isfile(clangd) or not os.access(clangd, os.X_OK):
        die(f"clangd not found or not executable: {args.clangd}")
    src = os.path.abspath(args.file)
    if not os.path.isfile(src):
        die(f"no such file: {args.file}")
    workspace = os.path.abspath(args.workspace or os.path.dirname(src))
    if not os.path.isdir(workspace):
        die(f"no such directory: {workspace}")
    with open(src, encoding="utf-8", errors="replace") as f:
        text = f.read()

    parent = os.path.dirname(workspace)
    while True:
        if os.path.isfile(os.path.join(parent, ".clangd")):
            print(f"{PROG}: warning: {os.path.join(parent, '.clangd')} also "
                  f"applies to {src}", file=sys.stderr)
        up = os.path.dirname(parent)
        if up == parent:
            break
        parent = up

    scratch = tempfile.mkdtemp(prefix="lsp_client.")
    try:
        user_config = os.path.join(scratch, "xdg-config")
        os.mkdir(user_config)
        cmd = [clangd]
        if not has_option(args.extra, "--log"):
            cmd.append("--log=error")
        if not has_option(args.extra, "--background-index"):
            cmd.append("--background-index=false")
        if not has_option(args.extra, "--compile-commands-dir"):
            if os.path.isfile(os.path.join(workspace, "compile_commands.json")):
                cmd.append(f"--compile-commands-dir={workspace}")
            else:
                flags = []
                flags_file = os.path.join(workspace, "compile_flags.txt")
                if os.path.isfile(flags_file):
                    with open(flags_file) as f:
                        flags = [l.strip() for l in f if l.strip()]
                cdb_dir = os.path.join(scratch, "cdb")
                os.mkdir(cdb_dir)
                with open(os.path.join(cdb_dir, "compile_commands.json"), "w") as f:
                    json.dump([{"directory": workspace, "file": src,
                                "arguments": [pick_driver(clangd), *flags,
                                              "-c", src]}], f)
                cmd.append(f"--compile-commands-dir={cdb_dir}")
        if not has_option(args.extra, "--resource-dir"):
            rdir = args.resource_dir or pick_resource_dir(clangd)
            if rdir:
                cmd.append(f"--resource-dir={rdir}")
        cmd += args.extra
        env = dict(os.environ, XDG_CONFIG_HOME=user_config)
        if args.verbose:
            print(f"{PROG}: running {' '.join(cmd)}", file=sys.stderr)
        server = Server(cmd, env, args.verbose)
        try:
            return session(server, args, src, workspace, text, deadline)
        finally:
            server.kill()  # no-op when clangd has exited already
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def session(server, args, src, workspace, text, deadline):
    uri = path_to_uri(src)
    init_id = server.request("initialize", {
        "processId": os.getpid(),
        "clientInfo": {"name": PROG},
        "rootUri": path_to_uri(workspace),
        "workspaceFolders": [{"uri": path_to_uri(workspace),
                              "name": os.path.basename(workspace)}],
        "capabilities": {
            "general": {"positionEncodings": ["utf-8", "utf-16"]},
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True,
                                       "versionSupport": True,
                                       "codeDescriptionSupport": True,
                                       "codeActionsInline": args.details},
                # Code actions as CodeAction objects, as editors ask for them
                # (without this clangd sends bare commands).
                "codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix", "refactor",
                                                    "info"]}}},
            },
            "workspace": {"configuration": False},
            # Lets clangd send window/workDoneProgress/create (answered with
            # null) and $/progress (ignored), e.g. with --background-index.
            "window": {"workDoneProgress": True},
            # clangd's own pre-LSP-3.17 spelling of positionEncodings.
            "offsetEncoding": ["utf-8", "utf-16"],
        },
        "initializationOptions": {},
    })

    state = {"initialized": False, "encoding": "utf-16", "result": None,
             "last": None, "error": None}

    def handle(msg):
        """Process one message; returns True when we have what we waited for."""
        if isinstance(msg, Exception):
            state["error"] = str(msg)
            return True
        method = msg.get("method")
        if method is not None and "id" in msg:
            # Server->client request: answer so clangd never waits on us.
            if method == "workspace/configuration":
                items = (msg.get("params") or {}).get("items") or []
                server.reply(msg["id"], [None] * len(items))
            else:
                server.reply(msg["id"], None)
            return False
        if method is None:
            if msg.get("id") == init_id:
                if "error" in msg:
                    state["error"] = f"initialize failed: {msg['error']}"
                    return True
                result = msg.get("result") or {}
                info = result.get("serverInfo") or {}
                state["server"] = (f"{info.get('name', '?')} "
                                   f"{info.get('version', '?')}")
                caps = result.get("capabilities") or {}
                state["encoding"] = (caps.get("positionEncoding")
                                     or result.get("offsetEncoding") or "utf-16")
                state["initialized"] = True
                server.notify("initialized", {})
                server.notify("textDocument/didOpen", {"textDocument": {
                    "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
            return False
        if method != "textDocument/publishDiagnostics":
            return False  # progress, logs, fileStatus, ...: not our business
        params = msg.get("params") or {}
        puri = params.get("uri", "")
        if puri != uri and not same_file(uri_to_path(puri), src):
            if args.verbose:
                print(f"{PROG}: ignoring diagnostics for {puri}: "
                      f"{json.dumps(params.get('diagnostics'))}", file=sys.stderr)
            return False
        if params.get("version") not in (None, 1):
            return False
        diags = params.get("diagnostics") or []
        state["last"] = diags
        if args.expect_none or any(d.get("source") == "clang-tidy" for d in diags):
            state["result"] = diags
            return True
        return False

    failure = None
    while True:
        msg = server.next_message(deadline)
        if msg is None:
            what = ("diagnostics" if args.expect_none
                    else "clang-tidy diagnostics")
            got = state["last"]
            failure = (f"timed out after {args.timeout:g}s waiting for {what} for "
                       f"{src}" + (" (clangd never answered initialize)"
                                   if not state["initialized"] else
                                   " (no diagnostics were published for it)"
                                   if got is None
                          else f" (the last set published for it, printed on "
                          f"stdout, had {len(got)} diagnostic(s) and none from "
                          "clang-tidy)"))
            break
        if msg is _EOF:
            server.settle()
            failure = (f"{server.describe_exit()} before publishing the awaited "
                       f"diagnostics for {src}{server.stderr_tail()}")
            break
        if handle(msg):
            if state["error"]:
                failure = state["error"]
            break

    printer = Printer(src, state["encoding"], args.raw_messages)
    to_print = state["result"] if state["result"] is not None else state["last"]
    actions = {}
    if args.details and not failure and to_print:
        print(f"server: {state.get('server')}")
        failure = ask_code_actions(server, uri, to_print, actions, deadline)
    if to_print is not None:
        for line in printer.lines_for(to_print, actions if args.details
                                      else None):
            print(line)
        sys.stdout.flush()

    # After a failure, shut down only as a courtesy and quickly; if clangd
    # never even answered initialize there is nothing to be polite to.
    shutdown_problem = None
    if not failure:
        shutdown_problem = shutdown(server, grace=10.0)
    elif state["initialized"]:
        shutdown(server, grace=2.0)
    if failure:
        server.kill()
        die(failure)
    if shutdown_problem:
        server.kill()
        die(shutdown_problem)
    return 0


def ask_code_actions(server, uri, diags, actions, deadline):
    """textDocument/codeAction for each clang-tidy diagnostic; the titles of
    the quick fixes offered go into actions[index]. A problem string or None."""
    for i, d in enumerate(diags):
        if d.get("source") != "clang-tidy":
            continue
        rid = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": d.get("range"),
            "context": {"diagnostics": [d], "only": ["quickfix"]}})
        while True:
            msg = server.next_message(deadline)
            if msg is None:
                return "timed out waiting for textDocument/codeAction"
            if msg is _EOF or isinstance(msg, Exception):
                return "clangd ended while answering textDocument/codeAction"
            if msg.get("method") is not None and "id" in msg:
                server.reply(msg["id"], None)
            elif msg.get("id") == rid and msg.get("method") is None:
                actions[i] = [a.get("title", "") for a in msg.get("result") or []
                              if isinstance(a, dict) and "diagnostics" in a]
                break
    return None


def shutdown(server, grace):
    """shutdown request, exit notification; returns a problem string or None."""
    if server.proc.poll() is not None:
        return f"{server.describe_exit()} early{server.stderr_tail()}"
    deadline = time.monotonic() + grace
    sid = server.request("shutdown", None)
    answered = False
    while not answered:
        msg = server.next_message(deadline)
        if msg is None:
            return f"clangd did not answer shutdown within {grace:g}s"
        if msg is _EOF:
            server.settle()
            return f"{server.describe_exit()} during shutdown{server.stderr_tail()}"
        if isinstance(msg, dict):
            if msg.get("method") is not None and "id" in msg:
                server.reply(msg["id"], None)
            elif msg.get("id") == sid and msg.get("method") is None:
                answered = True
    server.notify("exit")
    server.close_stdin()
    try:
        rc = server.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return f"clangd did not exit within {grace:g}s of shutdown"
    if rc != 0:
        return f"{server.describe_exit()} after shutdown{server.stderr_tail()}"
    return None


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
