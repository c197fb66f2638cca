"""lit test format for samples/ (see lit.local.cfg). A module of its own
because lit's worker processes must be able to import (unpickle) it."""
import os
import subprocess

import lit.formats
import lit.Test


class SampleFormat(lit.formats.TestFormat):
    """Each samples/<name>/*.cpp (and *.c) is one test, run by scripts/check-sample.
    The .test files beside this module are ordinary lit shell tests (the
    harness's own tests)."""

    # check-sample's exit statuses (see its docstring) as lit results.
    CODES = {0: lit.Test.PASS, 3: lit.Test.XFAIL, 4: lit.Test.XPASS}

    def __init__(self, src_root):
        self.samples = os.path.join(src_root, "samples")
        self.script = os.path.join(src_root, "scripts", "check-sample")
        self.shell = lit.formats.ShTest(execute_external=False)

    def getTestsInDirectory(self, suite, path_in_suite, lit_config, local_config):
        if path_in_suite != ("samples",):
            return
        for test in self.shell.getTestsInDirectory(suite, path_in_suite, lit_config,
                                                   local_config):
            yield test
        for name in sorted(os.listdir(self.samples)):
            folder = os.path.join(self.samples, name)
            if not os.path.isdir(folder):
                continue
            for file in sorted(os.listdir(folder)):
                if file.endswith((".cpp", ".c")):
                    yield lit.Test.Test(suite, path_in_suite + (name, file), local_config,
                                        file_path=os.path.join(folder, file))

    def execute(self, test, lit_config):
        if test.file_path is None:
            return self.shell.execute(test, lit_config)
        config = test.config
        exec_dir = os.path.dirname(test.getExecPath())
        cmd = [config.python, self.script,
               "--concheck", config.concheck, "--clangxx", config.clangxx,
               "--runtime-include", os.path.join(config.concheck_src_root, "runtime", "include"),
               "--workdir", os.path.join(exec_dir, "Output"), test.getFilePath()]
        try:
            # check-sample bounds every run itself; this only guards the guard.
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=300)
        except subprocess.TimeoutExpired:
            return lit.Test.Result(lit.Test.FAIL, "check-sample itself did not finish in 300 s")
        output = "$ %s\n%s" % (" ".join(cmd), proc.stdout.decode("utf-8", "replace"))
        return lit.Test.Result(self.CODES.get(proc.returncode, lit.Test.FAIL), output)
