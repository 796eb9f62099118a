# Thin wrapper around scripts/ and CMake; see docs/. GNU make.
BUILD_DIR ?= build
JOBS ?= 2
FUZZ_SECONDS ?= 60

# Prerequisites (bootstrap, build, db-up) must run in order, even under `make -jN`.
.NOTPARALLEL:

.PHONY: all bootstrap build db-up db-status db-reset db-down test demo bench fuzz clean

all: build

bootstrap:
	scripts/bootstrap

# Configure only when there is no cache yet -- or when a previous configure failed before generating the
# build system (CMake writes CMakeCache.txt even then, and `cmake --build` could never recover).
build:
	@if [ ! -f "$(BUILD_DIR)/CMakeCache.txt" ] || { [ ! -f "$(BUILD_DIR)/Makefile" ] && [ ! -f "$(BUILD_DIR)/build.ninja" ]; }; then \
	  echo "cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo"; \
	  cmake -S . -B "$(BUILD_DIR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo; \
	fi
	cmake --build "$(BUILD_DIR)" -j$(JOBS)

db-up:
	scripts/db up

db-status:
	scripts/db status

db-reset:
	scripts/db reset

db-down:
	scripts/db down

# `scripts/db env` prints `export MIGRATE_TEST_URL=...`; captured first so that its failure is not hidden by eval.
test: bootstrap build db-up
	db_env="$$(scripts/db env)" && eval "$$db_env" && cd "$(BUILD_DIR)" && ctest --output-on-failure -j$(JOBS)

demo: bootstrap build db-up
	scripts/demo

# Each libFuzzer target for FUZZ_SECONDS, in its own clang build dir (build-fuzz); see fuzz/README.md.
fuzz: bootstrap
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(JOBS) fuzz/run

bench: build db-up
	bench/run

clean:
	rm -rf "$(BUILD_DIR)"
