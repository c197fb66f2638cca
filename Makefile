# concheck: thin entry points. Both `run` and `check` do the whole set-up
# (dependencies, configure, build) first, so they work on a fresh machine.
#   make run     build, then lint the bundled samples
#   make check   build (and the runtime with GCC), then run every test and
#                print one summary line
#   make bench   build, then the benchmarks (ratios against baselines)
#   make package build, then a .deb of the install tree (CPack)
# LLVM=<major> picks the LLVM version (default 19; 22 is tested too). Each
# version builds in its own directory: build for 19, build-llvm<N> otherwise.

LLVM  ?= 19
BUILD ?= $(if $(filter 19,$(LLVM)),build,build-llvm$(LLVM))
JOBS  ?= 2
# The runtime's tests built with GCC (Debian's default g++), plain and TSan:
# the headers must work with every compiler a user has.
GCC_BUILD ?= $(BUILD)-gcc
GCC_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONCHECK_RUNTIME_ONLY=ON \
  -DCMAKE_CXX_COMPILER=g++ -DCONCHECK_SANITIZER_VARIANTS="plain;tsan"

CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCONCHECK_LLVM_VERSION=$(LLVM) \
  -DCMAKE_C_COMPILER=clang-$(LLVM) -DCMAKE_CXX_COMPILER=clang++-$(LLVM)

.PHONY: all deps configure build build-gcc run check bench package clean

all: build

deps:
	@LLVM=$(LLVM) scripts/install-deps

configure: deps
	@if [ ! -f $(BUILD)/build.ninja ] || [ CMakeLists.txt -nt $(BUILD)/build.ninja ]; then \
	  cmake -S . -B $(BUILD) $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)

build-gcc: deps
	@if [ ! -f $(GCC_BUILD)/build.ninja ] || [ CMakeLists.txt -nt $(GCC_BUILD)/build.ninja ]; then \
	  cmake -S . -B $(GCC_BUILD) $(GCC_FLAGS); fi
	cmake --build $(GCC_BUILD) -j $(JOBS)

run: build
	@scripts/run-samples $(BUILD)

check: build build-gcc
	@scripts/run-tests $(BUILD) $(GCC_BUILD)

# Benchmarks: ratios against baselines measured in the same run.
bench: build
	runtime/bench/ratios.py $(BUILD)
	bench/lint_overhead.py --build $(BUILD)
	bench/project_scaling.py --build $(BUILD)

# The .deb lands in $(BUILD)/packages/.
package: build
	cmake --build $(BUILD) --target package

clean:
	rm -rf $(BUILD) $(GCC_BUILD)
