#!/bin/sh
# database_search.sh CONCHECK: lays out projects whose compile database is
# in a build/ directory, in the current directory (outside every tree), and
# runs CONCHECK on them; each run's output follows a '== name' line and
# ends with its exit status.
concheck="$1"
here=$(pwd)
run() {
  name="$1"; shift
  echo "== $name"
  "$concheck" "$@" 2>&1
  echo "exit $?"
}

mkdir -p proj/src proj/other proj/build
cp macro_lock.cpp proj/src/macro_lock.cpp
cp macro_lock.cpp proj/src/new_file.cpp
cp macro_lock.cpp proj/other/macro_lock.cpp
printf '[{"directory": "%s/proj", "file": "src/macro_lock.cpp", "arguments": ["clang++", "-std=c++20", "-DNO_LOCKS", "-c", "src/macro_lock.cpp"]}]\n' \
  "$here" > proj/build/compile_commands.json

run listed proj/src/macro_lock.cpp
run neighbour proj/src/new_file.cpp
run directory proj/src
(cd proj && run from-root src/macro_lock.cpp)
run unlisted proj/other/macro_lock.cpp
run unlisted-directory proj/other

# A database beside the sources comes before the one in build/, as in clangd.
printf '[{"directory": "%s/proj", "file": "src/macro_lock.cpp", "arguments": ["clang++", "-std=c++20", "-c", "src/macro_lock.cpp"]}]\n' \
  "$here" > proj/compile_commands.json
run beside proj/src/macro_lock.cpp
