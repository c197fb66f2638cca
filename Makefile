# concheck: thin entry points. Both `run` and `check` do the whole set-up
# (dependencies, configure, build) first, so they work on a fresh machine.
#   make run     build, then lint the bundled samples
#   make check   build, then run every test and print one summary line
#   make bench   build, then the benchmarks (ratios against baselines)
#   make package build, then a .deb of the install tree (CPack)
# LLVM=<major> picks the LLVM version (default 19; 22 is tested too). Each
# version builds in its own directory: build for 19, build-llvm<N> otherwise.

LLVM  ?= 19
BUILD ?= $(if $(filter 19,$(LLVM)),build,build-llvm$(LLVM))
JOBS  ?= 2

CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCONCHECK_LLVM_VERSION=$(LLVM) \
  -DCMAKE_C_COMPILER=clang-$(LLVM) -DCMAKE_CXX_COMPILER=clang++-$(LLVM)

.PHONY: all deps configure build run check bench package clean

all: build

deps:
	@LLVM=$(LLVM) scripts/install-deps

configure: deps
	@if [ ! -f $(BUILD)/build.ninja ] || [ CMakeLists.txt -nt $(BUILD)/build.ninja ]; then \
	  cmake -S . -B $(BUILD) $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@scripts/run-samples $(BUILD)

check: build
	@scripts/run-tests $(BUILD)

# Benchmarks: ratios against baselines measured in the same run.
bench: build
	runtime/bench/ratios.py $(BUILD)
	bench/lint_overhead.py --build $(BUILD)
	bench/project_scaling.py --build $(BUILD)

# The .deb lands in $(BUILD)/packages/.
package: build
	cmake --build $(BUILD) --target package

clean:
	rm -rf $(BUILD)
