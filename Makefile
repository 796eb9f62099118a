# Thin wrapper around scripts/ and CMake; see docs/. GNU make.
BUILD_DIR ?= build
SANITIZE_BUILD_DIR ?= build-sanitize
JOBS ?= 2
FUZZ_SECONDS ?= 60

# Prerequisites (bootstrap, build, db-up) must run in order, even under `make -jN`.
.NOTPARALLEL:

.PHONY: all bootstrap build build-sanitize package db-up db-status db-reset db-down test test-sanitize demo bench fuzz format format-check tidy clean

all: build

bootstrap:
	scripts/bootstrap

# Configure only when there is no cache yet -- or when a previous configure failed before generating the
# build system (CMake writes CMakeCache.txt even then, and `cmake --build` could never recover).
build:
	@if [ ! -f "$(BUILD_DIR)/CMakeCache.txt" ] || { [ ! -f "$(BUILD_DIR)/Makefile" ] && [ ! -f "$(BUILD_DIR)/build.ninja" ]; }; then \
	  echo "cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGRATE_WARNINGS_AS_ERRORS=ON"; \
	  cmake -S . -B "$(BUILD_DIR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGRATE_WARNINGS_AS_ERRORS=ON; \
	fi
	cmake --build "$(BUILD_DIR)" -j$(JOBS)

# The same sources with AddressSanitizer + UndefinedBehaviorSanitizer (MIGRATE_SANITIZE, see CMakeLists.txt),
# in a build directory of its own.
build-sanitize:
	@if [ ! -f "$(SANITIZE_BUILD_DIR)/CMakeCache.txt" ] || { [ ! -f "$(SANITIZE_BUILD_DIR)/Makefile" ] && [ ! -f "$(SANITIZE_BUILD_DIR)/build.ninja" ]; }; then \
	  echo "cmake -S . -B $(SANITIZE_BUILD_DIR) -DCMAKE_BUILD_TYPE=Debug -DMIGRATE_SANITIZE=ON -DMIGRATE_WARNINGS_AS_ERRORS=ON"; \
	  cmake -S . -B "$(SANITIZE_BUILD_DIR)" -DCMAKE_BUILD_TYPE=Debug -DMIGRATE_SANITIZE=ON -DMIGRATE_WARNINGS_AS_ERRORS=ON; \
	fi
	cmake --build "$(SANITIZE_BUILD_DIR)" -j$(JOBS)

# Debian packages (libmigrate0, libmigrate-dev, migrate-tools; cmake/packaging.cmake) of what build built, into
# $(BUILD_DIR)/packages; docs/embedding.md ("Packages"). cpack does not rebuild (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY).
package: build
	rm -rf "$(BUILD_DIR)/packages"
	cd "$(BUILD_DIR)" && cpack -G DEB
	@echo "packages:" && ls -1 "$(BUILD_DIR)"/packages/*.deb

db-up:
	scripts/db up

db-status:
	scripts/db status

db-reset:
	scripts/db reset

db-down:
	scripts/db down

# After a failed run: whether the test server is still up, the end of its error log (a crash says why there)
# and any OOM kill, so that a CI log that shows only the end still tells a server failure from a test's.
DB_AFTER_FAILURE = { echo "== the test server after the failure:"; "$(CURDIR)/scripts/db" status; \
  tail -n 40 "$(CURDIR)/.local/mariadb/error.log" 2>/dev/null; \
  dmesg 2>/dev/null | grep -iE "out of memory|killed process" | tail -n 5; exit 1; }

# `scripts/db env` prints `export MIGRATE_TEST_URL=...`; captured first so that its failure is not hidden by eval.
test: bootstrap build db-up
	db_env="$$(scripts/db env)" && eval "$$db_env" && cd "$(BUILD_DIR)" && { ctest --output-on-failure -j$(JOBS) || $(DB_AFTER_FAILURE); }

# The unit and integration tests under the sanitizers. The options are exported, so every child process (the
# CLI the tests run, psdb-gateway, the TUI under tmux) inherits them. ASan/LeakSanitizer reports go to files,
# one per process (log_path), not to stderr: a child whose stderr a test never shows (the gateway, the TUI
# inside tmux, a CLI expected to fail) cannot hide one there; any report file left after ctest fails the
# target and is printed. gcc's UBSan ignores log_path next to ASan, so UBSan reports stay on stderr, where the
# test support fails the test of a child that printed one (tests/support/process.cpp). Every report also
# exits non-zero. docs/architecture.md ("Sanitizers") says which tests run -- not the interop label.
SANITIZE_REPORTS = $(CURDIR)/$(SANITIZE_BUILD_DIR)/sanitizer-reports
SANITIZER_ENV = \
  ASAN_OPTIONS=log_path=$(SANITIZE_REPORTS)/asan:detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitize/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
test-sanitize: bootstrap build-sanitize db-up
	rm -rf "$(SANITIZE_REPORTS)" && mkdir -p "$(SANITIZE_REPORTS)"
	db_env="$$(scripts/db env)" && eval "$$db_env" && cd "$(SANITIZE_BUILD_DIR)" && \
	  status=0 && { $(SANITIZER_ENV) ctest --output-on-failure -j$(JOBS) -L 'unit|integration' -LE 'interop|bigdata' || status=$$?; } && \
	  { [ $$status -eq 0 ] || ( $(DB_AFTER_FAILURE) ) || true; } && \
	  if [ -n "$$(ls -A "$(SANITIZE_REPORTS)")" ]; then \
	    for report in "$(SANITIZE_REPORTS)"/*; do echo "== $$report"; cat "$$report"; done; \
	    echo "sanitizer reports above (in $(SANITIZE_REPORTS)): fix the code they point at" >&2; exit 1; \
	  fi && exit $$status

demo: bootstrap build db-up
	scripts/demo

# Each libFuzzer target for FUZZ_SECONDS, in its own clang build dir (build-fuzz); see fuzz/README.md.
fuzz: bootstrap
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(JOBS) fuzz/run

bench: build db-up
	bench/run

# One C/C++ style (.clang-format); ctest's style:format fails on any file that differs.
format:
	scripts/format

format-check:
	scripts/format --check

# clang-tidy's checks (.clang-tidy) over the library, the drivers and the tools, from the build's compile commands.
tidy: build
	scripts/tidy "$(BUILD_DIR)"

clean:
	rm -rf "$(BUILD_DIR)" "$(SANITIZE_BUILD_DIR)"
