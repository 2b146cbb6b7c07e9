# xent: the two commands of the README, plus the build.
#   make        configure + Release build in build/
#   make test   every test: cmocka suites (all variants this CPU runs), the
#               exhaustive accuracy test, the sanitizer build, the AArch64
#               NEON suites under qemu, and the pytest parity suite
#   make bench  the benchmark harness and its summary of ratios
#   make compare   the comparison study against torch, sklearn and numpy
#                  (about 20 minutes; regenerates docs/compare.*)
#   make accuracy  the full accuracy evaluator (about 20 minutes; regenerates
#                  docs/accuracy.md, exits non-zero if the contract is broken)
# `make test` and `make bench` first install missing Debian packages
# (scripts/bootstrap.sh).

JOBS ?= 2
PY := /usr/bin/python3
CMAKE_FLAGS ?=

.PHONY: all build bootstrap test test-native test-asan test-neon test-python test-compare bench compare accuracy clean

all: build

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DXENT_BUILD_TESTS=ON -DXENT_BUILD_BENCH=ON \
	  -DXENT_EXHAUSTIVE=ON $(CMAKE_FLAGS)
	cmake --build build -j$(JOBS)

bootstrap:
	scripts/bootstrap.sh

test: bootstrap
	$(MAKE) build
	$(MAKE) test-native test-asan test-neon test-python test-compare

test-native:
	cd build && ctest --output-on-failure --no-tests=error

test-asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXENT_SANITIZE=ON \
	  -DXENT_EXHAUSTIVE=OFF -DXENT_BUILD_BENCH=OFF -DXENT_BUILD_TESTS=ON
	cmake --build build-asan -j$(JOBS)
	cd build-asan && ctest --output-on-failure --no-tests=error

# The AArch64 cross build runs the same suites for neon and neon+sleef under
# qemu-aarch64.  In CI a missing cross toolchain is a failure, not a skip.
test-neon:
	@if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then \
	  if [ "$$CI" = true ]; then echo "test-neon: cross toolchain or qemu missing" >&2; exit 1; fi; \
	  echo "test-neon: SKIPPED (no aarch64-linux-gnu-gcc or qemu-aarch64; run scripts/bootstrap.sh)"; \
	else \
	  cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
	    -DCMAKE_BUILD_TYPE=Release -DXENT_EXHAUSTIVE=OFF -DXENT_BUILD_BENCH=OFF -DXENT_BUILD_TESTS=ON && \
	  cmake --build build-aarch64 -j$(JOBS) && \
	  cd build-aarch64 && ctest --output-on-failure --no-tests=error; \
	fi

test-python:
	PYTHONPATH=python XENT_LIBRARY=$(CURDIR)/build/libxent.so $(PY) -m pytest -q tests/python

# The comparison study end to end on small sizes (files under build/, not docs/).
test-compare:
	$(PY) compare/compare.py --quick --out build/compare-quick

compare: bootstrap
	$(MAKE) build
	$(PY) compare/compare.py

# The neon figures come from build-aarch64's test_golden under qemu: built
# here so that they are of the same code.
accuracy: bootstrap
	$(MAKE) build
	@if command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64 >/dev/null; then \
	  cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
	    -DCMAKE_BUILD_TYPE=Release -DXENT_EXHAUSTIVE=OFF -DXENT_BUILD_BENCH=OFF -DXENT_BUILD_TESTS=ON && \
	  cmake --build build-aarch64 -j$(JOBS) --target test_golden; \
	fi
	cmake --build build --target accuracy

bench: bootstrap
	$(MAKE) build
	cmake --build build --target bench

clean:
	rm -rf build build-asan build-aarch64
