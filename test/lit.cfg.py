# lit configuration for concheck's tests (checks, plugin, CLI, clangd).
import os
import shlex
import shutil

import lit.formats

config.name = "concheck"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".c", ".test"]
# test/model holds the model's GoogleTest sources, run by scripts/run-tests.
config.excludes = ["Inputs", "model", "check_concheck.py", "lsp_client.py", "exit_is.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.concheck_obj_root, "test")

# FileCheck, not, count from LLVM; our binaries first.
config.environment["PATH"] = os.pathsep.join(
    [os.path.join(config.concheck_obj_root, "bin"), config.llvm_tools_dir,
     config.environment.get("PATH", os.environ.get("PATH", ""))])
for var in ("HOME", "TMPDIR", "LANG", "LC_ALL"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

q = shlex.quote
check_script = os.path.join(config.test_source_root, "checks", "check_concheck.py")
config.substitutions.append(
    ("%check_concheck",
     "%s %s --clang-tidy %s --plugin %s" % (q(config.python), q(check_script),
                                             q(config.clang_tidy), q(config.plugin))))
config.substitutions.append(("%clang_tidy", q(config.clang_tidy)))
config.substitutions.append(("%plugin", q(config.plugin)))
config.substitutions.append(("%concheck", q(config.concheck)))
config.substitutions.append(("%clangd", q(config.concheck_clangd)))
config.substitutions.append(("%clangxx", q(config.clangxx)))
# GCC, for the runtime's users who build with it (test/install/gcc-consumer).
gxx = shutil.which("g++")
if gxx:
    config.available_features.add("gxx")
    config.substitutions.append(("%gxx", q(gxx)))
config.substitutions.append(("%python", q(config.python)))
config.substitutions.append(("%runtime_include",
                             q(os.path.join(config.concheck_src_root, "runtime", "include"))))
config.substitutions.append(("%llvm_version", config.llvm_version))
config.substitutions.append(
    ("%exit_is", "%s %s" % (q(config.python),
                            q(os.path.join(config.test_source_root, "Inputs", "exit_is.py")))))

# test/install: the build tree installed, packaged and used from CMake.
# %install_from is the build directory whose install rules the tests run.
config.substitutions.append(("%install_from", q(config.concheck_obj_root)))
config.substitutions.append(("%cmake", q(config.cmake)))
config.substitutions.append(("%cpack", q(config.cpack)))
config.substitutions.append(("%ninja", q(config.make_program)))
# Building the .deb needs dpkg-deb and dpkg-shlibdeps (package dpkg-dev).
if shutil.which("dpkg-deb") and shutil.which("dpkg-shlibdeps"):
    config.available_features.add("dpkg")
# The pre-commit hook is tried with `pre-commit try-repo` (Debian: pre-commit).
if shutil.which("pre-commit") and shutil.which("git"):
    config.available_features.add("pre-commit")
# The LLVM major version, for the few expectations that differ between them.
config.available_features.add("llvm-" + config.llvm_version)

# Another LLVM's clang-tidy, to prove the plugin refuses to load into it.
if os.path.exists("/usr/lib/llvm-14/bin/clang-tidy") and config.llvm_version != "14":
    config.available_features.add("clang-tidy-14")

# A pseudo-terminal for tests of what a person at a terminal sees.
config.substitutions.append(
    ("%run_in_pty", "%s %s" % (q(config.python),
                               q(os.path.join(config.test_source_root, "Inputs",
                                              "run_in_pty.py")))))
# Unreadable files: root reads everything, so as root the command drops to
# 'nobody' first.
if os.geteuid() != 0:
    config.substitutions.append(("%as_unprivileged", ""))
    config.available_features.add("can-drop-privileges")
elif shutil.which("setpriv"):
    config.substitutions.append(
        ("%as_unprivileged", "setpriv --reuid=nobody --regid=nogroup --clear-groups"))
    config.available_features.add("can-drop-privileges")

# The fuzz target, when it was built (CONCHECK_FUZZER, clang only).
if os.path.exists(config.concheck_fuzz):
    config.available_features.add("fuzzer")
    config.substitutions.append(("%fuzzer", q(config.concheck_fuzz)))
    config.substitutions.append(
        ("%fuzz_seconds", os.environ.get("CONCHECK_FUZZ_SECONDS", "60")))
