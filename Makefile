# wgrun: a plain Makefile. `make deps && make`, then `make test`.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
# Where bash-completion, zsh (Debian's vendor folder) and fish look for
# completions of a command they have none loaded for.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR    ?=

CXXFLAGS ?= -O2 -g
LDFLAGS  ?=
BUILD    ?= build
# Sanitizer build: SANITIZE=thread or SANITIZE=address (ASan + UBSan).
SANITIZE ?=

# The release this tree is, or leads to. The version a build says (in
# --version, the man pages' footer, wgrun.pc and the .deb) is FULL_VERSION:
# `git describe` of the last v* tag in a checkout (0.2.0-14-gabc1234, with
# -dirty for uncommitted changes); in a checkout without such a tag, the
# same shape counted from the commit that last set VERSION (tags need not
# travel with a clone); outside a checkout (a tarball), VERSION itself.
VERSION := 0.2.0
FULL_VERSION := $(shell \
    if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" != "$(CURDIR)" ]; then \
        echo '$(VERSION)'; \
    elif described=$$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then \
        echo "$${described\#v}"; \
    else \
        base=$$(git log -1 --format=%H -G'^VERSION :=' -- Makefile); \
        count=$$(git rev-list --count "$$base"..HEAD); \
        dirty=$$(git diff --quiet HEAD -- 2>/dev/null || echo -dirty); \
        if [ "$$count" = 0 ]; then echo "$(VERSION)$$dirty"; \
        else echo "$(VERSION)-$$count-g$$(git rev-parse --short HEAD)$$dirty"; fi; \
    fi)

ifeq ($(SANITIZE),thread)
SAN_FLAGS := -fsanitize=thread
else ifeq ($(SANITIZE),address)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# UBSan's check data in a position-independent wgrun took 31 MB of
# relocations, applied at every start (0.25 s of a run of `true`, 0.14 s
# without): the end-to-end suites start wgrun thousands of times.
SAN_LDFLAGS := -no-pie
else ifneq ($(SANITIZE),)
$(error SANITIZE must be thread or address)
endif

ALL_CXXFLAGS = -std=c++20 -Wall -Wextra -pthread -MMD -MP -Icore/sync/include -Icore $(SAN_FLAGS) $(CXXFLAGS)
ALL_LDFLAGS  = -pthread $(SAN_FLAGS) $(SAN_LDFLAGS) $(LDFLAGS)

# Debian bookworm packages for build, tests, benchmarks and the man page lint.
DEB_PACKAGES := g++ make pkg-config libcli11-dev libfmt-dev libboost1.81-dev \
                libboost-json1.81-dev libgtest-dev libbenchmark-dev mandoc parallel time \
                libxml2-utils python3 libtext-csv-perl openssh-server openssh-client rsync \
                iproute2
# --slurm's tests: a single-node Slurm 22.05 that tests/e2e/slurm_test.sh
# starts and stops itself (tests/services/slurm.sh).
DEB_PACKAGES += slurmctld slurmd slurm-client munge
# Packaging and its tests: make deb (dpkg-dev), lintian, man -w (man-db),
# and the shells whose completions make install puts in place.
DEB_PACKAGES += dpkg-dev lintian man-db bash-completion zsh fish
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# core/ is one folder per stage of the pipeline (README, "How wgrun works").
# core/sync/ is the WaitGroup, the one library that is installed; the other
# stages make the runner, an internal library that only wgrun and the tests
# link.
SYNC_SRCS  := $(wildcard core/sync/*.cpp)
SYNC_OBJS  := $(SYNC_SRCS:%.cpp=$(BUILD)/%.o)
LIB        := $(BUILD)/libwgrun.a
RUNNER_SRCS := $(filter-out $(SYNC_SRCS),$(wildcard core/*/*.cpp))
RUNNER_OBJS := $(RUNNER_SRCS:%.cpp=$(BUILD)/%.o)
RUNNER_LIB := $(BUILD)/libwgrun_runner.a
CORE_OBJS  := $(SYNC_OBJS) $(RUNNER_OBJS)

# cli/ is main.cpp and a library of the rest (parsing, wiring, printing),
# which wgrun and the cli test binary link.
CLI_SRCS   := $(wildcard cli/*.cpp)
CLI_OBJS   := $(CLI_SRCS:%.cpp=$(BUILD)/%.o)
CLI_MAIN_OBJ := $(BUILD)/cli/main.o
CLI_LIB_OBJS := $(filter-out $(CLI_MAIN_OBJ),$(CLI_OBJS))
CLI_LIB    := $(BUILD)/libwgrun_cli.a
WGRUN      := $(BUILD)/wgrun

TEST_SRCS  := tests/test_main.cpp $(wildcard tests/core/*/*.cpp)
TEST_OBJS  := $(TEST_SRCS:%.cpp=$(BUILD)/%.o)
CORE_TEST  := $(BUILD)/tests/wgrun_core_test

# The command line's tests: argument lists parsed, no job run.
CLI_TEST_SRCS := $(wildcard tests/cli/*_test.cpp)
CLI_TEST_OBJS := $(CLI_TEST_SRCS:%.cpp=$(BUILD)/%.o)
CLI_TEST   := $(BUILD)/tests/wgrun_cli_test

BENCH_SRCS := bench/wait_group_bench.cpp
BENCH_OBJS := $(BENCH_SRCS:%.cpp=$(BUILD)/%.o)
BENCH      := $(BUILD)/bench/wait_group_bench

# The shells' completion scripts, written by wgrun itself from its option
# table (wgrun --completion SHELL), so they follow every option added.
COMPLETIONS := $(BUILD)/completions/wgrun $(BUILD)/completions/_wgrun \
               $(BUILD)/completions/wgrun.fish

E2E_TESTS  := $(wildcard tests/e2e/*_test.sh)
MAN_PAGES  := $(wildcard man/*.[1-9])
BUILT_MAN_PAGES := $(MAN_PAGES:man/%=$(BUILD)/man/%)

.PHONY: all deps test test-tsan test-asan bench install uninstall clean

all: $(LIB) $(RUNNER_LIB) $(WGRUN) $(BUILT_MAN_PAGES) $(COMPLETIONS)

deps:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)

$(LIB): $(SYNC_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(RUNNER_LIB): $(RUNNER_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(CLI_LIB): $(CLI_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

# Boost.Process v2 with std::filesystem, header-only: no Boost library to link.
$(BUILD)/core/exec/spawner.o: ALL_CXXFLAGS += -DBOOST_PROCESS_USE_STD_FS

# The version is compiled into one small file, rebuilt when it changes
# (version.txt is rewritten only then).
$(BUILD)/version.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(FULL_VERSION)' | cmp -s - $@ || echo '$(FULL_VERSION)' >$@
$(BUILD)/cli/version.o: $(BUILD)/version.txt
$(BUILD)/cli/version.o: ALL_CXXFLAGS += -DWGRUN_VERSION='"$(FULL_VERSION)"'

# The man pages as installed: their footer (.Os) names the version.
$(BUILD)/man/%: man/% $(BUILD)/version.txt
	@mkdir -p $(@D)
	sed 's/^\.Os$$/.Os wgrun $(FULL_VERSION)/' $< >$@

version:
	@echo '$(FULL_VERSION)'

.PHONY: FORCE version
FORCE:

# The test files are compiled without optimization (the code they test is
# built with CXXFLAGS as always): GoogleTest's macros make optimizing them
# the larger part of a build, about a minute of each of CI's three builds.
$(TEST_OBJS): ALL_CXXFLAGS += -O0 -Itests
$(CLI_TEST_OBJS): ALL_CXXFLAGS += -O0 -Itests -Icli

# GoogleTest's header and the common standard ones are compiled once per
# build into a precompiled header (GCC finds TEST_PCH.gch beside the header
# -include names): a quarter of each test file's compile time. It is built
# with the test files' flags; were it unusable, GCC would read the text.
TEST_PCH := $(BUILD)/tests/pch/test_pch.hpp
$(TEST_PCH): tests/test_pch.hpp
	@mkdir -p $(@D)
	cp $< $@
$(TEST_PCH).gch: $(TEST_PCH)
	$(CXX) $(ALL_CXXFLAGS) -O0 -Itests -x c++-header $< -o $@
$(TEST_OBJS) $(CLI_TEST_OBJS): $(TEST_PCH).gch
# (private: the header's own compile, a prerequisite, must not include it.)
$(TEST_OBJS) $(CLI_TEST_OBJS): private ALL_CXXFLAGS += -Winvalid-pch -include $(TEST_PCH)

# wgrun's start: loading shared libraries is the larger part of what
# `wgrun true` costs beyond its job (bench/runners.sh, startup row), so the
# C++ libraries are linked in: libstdc++ and libgcc (-static-*), Boost.JSON
# (its .a) and fmt (cli/fmt_compiled.cpp, for Debian ships no libfmt.a);
# only libc and libm are loaded. The sanitizer builds keep the shared ones:
# the sanitizers' runtimes intercept libstdc++'s allocations there.
# --gc-sections drops the sections nothing refers to (a quarter of the
# text): fewer pages to map at each start.
ifeq ($(SANITIZE),)
WGRUN_LIBS := -static-libstdc++ -static-libgcc -Wl,-Bstatic -lboost_json -Wl,-Bdynamic \
              -Wl,--gc-sections
else
WGRUN_LIBS := -lboost_json
endif

$(WGRUN): $(CLI_MAIN_OBJ) $(CLI_LIB) $(RUNNER_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CXX) $(ALL_LDFLAGS) $(CLI_MAIN_OBJ) $(CLI_LIB) $(RUNNER_LIB) $(LIB) $(WGRUN_LIBS) -o $@

$(BUILD)/completions/wgrun: COMPLETION_SHELL := bash
$(BUILD)/completions/_wgrun: COMPLETION_SHELL := zsh
$(BUILD)/completions/wgrun.fish: COMPLETION_SHELL := fish
$(COMPLETIONS): $(WGRUN)
	@mkdir -p $(@D)
	$(WGRUN) --completion $(COMPLETION_SHELL) > $@.tmp && mv $@.tmp $@

$(CORE_TEST): $(TEST_OBJS) $(RUNNER_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CXX) $(ALL_LDFLAGS) $(TEST_OBJS) $(RUNNER_LIB) $(LIB) -lgtest -lboost_json -lfmt -o $@

$(CLI_TEST): $(BUILD)/tests/test_main.o $(CLI_TEST_OBJS) $(CLI_LIB) $(RUNNER_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CXX) $(ALL_LDFLAGS) $(BUILD)/tests/test_main.o $(CLI_TEST_OBJS) $(CLI_LIB) $(RUNNER_LIB) \
	    $(LIB) -lgtest -lboost_json -lfmt -o $@

$(BENCH): $(BENCH_OBJS) $(LIB)
	@mkdir -p $(@D)
	$(CXX) $(ALL_LDFLAGS) $(BENCH_OBJS) $(LIB) -lbenchmark -lboost_json -o $@

# Every test program ends with an "@@counts" line; tests/run sums them into
# the closing line "N passed, N failed, N skipped".
test: all $(CORE_TEST) $(CLI_TEST)
	BUILD=$(BUILD) tests/run $(CORE_TEST) $(CLI_TEST) $(E2E_TESTS)

TSAN_OPTIONS_RUN := TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
ASAN_OPTIONS_RUN := ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1"

# The sanitizer suites run the unit tests and the end-to-end tests against a
# sanitized wgrun. build-tsan and build-asan only build (.ci/run builds
# first, then runs both suites at once). -g1 (line tables) is what the
# sanitizers' reports need: full -g made these builds a third slower.
SAN_CXXFLAGS := -O1 -g1

# The command line's code (cli/) runs once per wgrun, single-threaded: it is
# built without optimization there, which halves its build (CLI11's
# templates are most of the sanitizer builds' time). The cli test binary
# only parses argument lists, on one thread, so ThreadSanitizer has nothing
# to find in it: the TSan suite leaves it out (ASan's runs it).
ifneq ($(SANITIZE),)
$(CLI_OBJS): ALL_CXXFLAGS += -O0
endif

.PHONY: build-tsan build-asan
build-tsan:
	$(MAKE) BUILD=build/tsan SANITIZE=thread CXXFLAGS="$(SAN_CXXFLAGS)" all \
	    build/tsan/tests/wgrun_core_test

build-asan:
	$(MAKE) BUILD=build/asan SANITIZE=address CXXFLAGS="$(SAN_CXXFLAGS)" all \
	    build/asan/tests/wgrun_core_test build/asan/tests/wgrun_cli_test

# Each end-to-end suite runs under at least one sanitizer; a start of a
# sanitized wgrun costs 0.1 to 0.3 s, so not every suite runs under both.
# ThreadSanitizer leaves out the suites about argument lists, templates and
# text (one thread parses them; the jobs they start run through the same
# event loop, pump and spawner the other suites drive), and ssh files and
# network namespaces (remote_hosts drives the remote layer under it).
# AddressSanitizer leaves out remote_hosts and Slurm (their code paths also
# run in remote_files, remote_netns and the unit tests; TSan runs them).
TSAN_ONLY  := remote_hosts slurm
ASAN_ONLY  := columns compat completion gnu_names hardening_cli hardening_text \
              input_options man_examples man_lint packing replacements shell \
              templates remote_files remote_netns
TSAN_E2E   := $(filter-out $(ASAN_ONLY:%=tests/e2e/%_test.sh),$(E2E_TESTS))
ASAN_E2E   := $(filter-out $(TSAN_ONLY:%=tests/e2e/%_test.sh),$(E2E_TESTS))

test-tsan: build-tsan
	$(TSAN_OPTIONS_RUN) BUILD=build/tsan tests/run build/tsan/tests/wgrun_core_test $(TSAN_E2E)

test-asan: build-asan
	$(ASAN_OPTIONS_RUN) BUILD=build/asan tests/run build/asan/tests/wgrun_core_test \
	    build/asan/tests/wgrun_cli_test $(ASAN_E2E)

# The floor of the runner benchmark: a bare posix_spawn loop (no library).
$(BUILD)/bench/spawn_floor: $(BUILD)/bench/spawn_floor.o
	@mkdir -p $(@D)
	$(CXX) $(ALL_LDFLAGS) $^ -o $@

# The WaitGroup benchmark, then wgrun beside xargs -P, GNU parallel and the
# floor (bench/runners.sh, about 2 minutes), the output modes beside a
# serial pipe (bench/output.sh, about a minute), how quickly --fail-fast
# ends 50 running jobs beside GNU parallel (bench/fail_fast.sh), 10,000
# jobs with {= s/a/b/ =} against {} (bench/perl_expressions.sh), what
# --colsep adds to 100,000 jobs (bench/columns.sh, about 2 minutes), and
# argument packing (-n 1000, -X) of a million lines beside xargs
# (bench/packing.sh), what joining a make jobserver costs beside -j2
# (bench/jobserver.sh), and 200 jobs on two loopback ssh hosts beside GNU
# parallel -S (bench/remote.sh; needs root for sshd), and --pipe and
# --pipepart cutting 2 GiB for wc -l beside GNU parallel and wc -l alone
# (bench/pipe.sh, a few minutes, GNU's mostly).
bench: $(BENCH) $(BUILD)/bench/spawn_floor $(WGRUN)
	$(BENCH)
	bench/runners.sh $(WGRUN) $(BUILD)/bench/spawn_floor
	bench/output.sh $(WGRUN)
	bench/fail_fast.sh $(WGRUN)
	bench/perl_expressions.sh $(WGRUN)
	bench/columns.sh $(WGRUN)
	bench/packing.sh $(WGRUN)
	bench/jobserver.sh $(WGRUN)
	bench/remote.sh $(WGRUN)
	bench/pipe.sh $(WGRUN)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR)/wgrun $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 755 $(WGRUN) $(DESTDIR)$(BINDIR)/wgrun
	install -m 644 core/sync/include/wgrun/*.hpp $(DESTDIR)$(INCLUDEDIR)/wgrun/
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libwgrun.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(FULL_VERSION)|' \
	    wgrun.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/wgrun.pc
	for page in $(BUILT_MAN_PAGES); do \
	    section=$${page##*.}; \
	    install -d $(DESTDIR)$(MANDIR)/man$$section && \
	    install -m 644 $$page $(DESTDIR)$(MANDIR)/man$$section/ || exit 1; \
	done
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 $(BUILD)/completions/wgrun $(DESTDIR)$(BASHCOMPDIR)/wgrun
	install -m 644 $(BUILD)/completions/_wgrun $(DESTDIR)$(ZSHCOMPDIR)/_wgrun
	install -m 644 $(BUILD)/completions/wgrun.fish $(DESTDIR)$(FISHCOMPDIR)/wgrun.fish

# make deb: $(BUILD)/wgrun_<version>_<arch>.deb, made with dpkg-deb from the
# files `make install` stages (PREFIX=/usr), not with dpkg-buildpackage from
# a debian/ folder: the install rule stays the one list of what wgrun
# installs (the package and `make install` cannot drift apart), the package
# reuses the build make test has just checked instead of building again
# (minutes of every CI run), and no debhelper is needed. One package holds
# the tool and the WaitGroup library (its header, libwgrun.a and wgrun.pc):
# the library is a static archive of a few KB, too small to be worth a -dev
# package of its own. The binary is stripped and the man pages compressed
# as Debian's policy asks; dpkg-shlibdeps works out the Depends line.
# (= rather than :=: the commands run only when a rule needs the value.)
DEB_ARCH       = $(shell dpkg --print-architecture 2>/dev/null)
DEB_MULTIARCH  = $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
DEB_DIR       := $(BUILD)/deb
DEB_ROOT      := $(DEB_DIR)/root
DEB            = $(BUILD)/wgrun_$(FULL_VERSION)_$(DEB_ARCH).deb
DEB_MAINTAINER := wgrun developers <wgrun@users.noreply.github.com>
DEB_DATE       = $(shell git log -1 --format=%aD 2>/dev/null || date -R)
DEB_COMMIT     = $(shell git rev-parse --short HEAD 2>/dev/null)
# Debian names a package's changelog changelog.gz when its version has no
# revision (0.2.0), changelog.Debian.gz when it has (0.2.0-14-gabc1234).
DEB_CHANGELOG := changelog$(if $(findstring -,$(FULL_VERSION)),.Debian).gz

.PHONY: deb
deb: all
	rm -rf $(DEB_DIR) $(BUILD)/wgrun_*.deb
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr \
	    LIBDIR=/usr/lib/$(DEB_MULTIARCH)
	strip --remove-section=.comment --remove-section=.note --strip-unneeded \
	    $(DEB_ROOT)/usr/bin/wgrun
	strip --strip-debug --remove-section=.comment --enable-deterministic-archives \
	    $(DEB_ROOT)/usr/lib/$(DEB_MULTIARCH)/libwgrun.a
	gzip -9n $(DEB_ROOT)/usr/share/man/man*/*
	install -d $(DEB_ROOT)/usr/share/doc/wgrun $(DEB_ROOT)/DEBIAN $(DEB_DIR)/debian
	printf '%s\n' 'wgrun: a parallel job runner for Linux.' '' \
	    'Copyright 2026 the wgrun developers.' '' \
	    'No license has been chosen for wgrun yet.' >$(DEB_ROOT)/usr/share/doc/wgrun/copyright
	printf '%s\n' 'wgrun ($(FULL_VERSION)) unstable; urgency=medium' '' \
	    '  * Built from $(if $(DEB_COMMIT),git commit $(DEB_COMMIT),a source tree).' '' \
	    ' -- $(DEB_MAINTAINER)  $(DEB_DATE)' | gzip -9n >$(DEB_ROOT)/usr/share/doc/wgrun/$(DEB_CHANGELOG)
	printf 'Source: wgrun\n\nPackage: wgrun\nArchitecture: any\n' >$(DEB_DIR)/debian/control
	cd $(DEB_DIR) && dpkg-shlibdeps -O root/usr/bin/wgrun >shlibs
	cd $(DEB_ROOT) && find usr -type f | LC_ALL=C sort | xargs md5sum >DEBIAN/md5sums
	{ echo 'Package: wgrun'; \
	  echo 'Version: $(FULL_VERSION)'; \
	  echo 'Architecture: $(DEB_ARCH)'; \
	  echo 'Maintainer: $(DEB_MAINTAINER)'; \
	  echo "Installed-Size: $$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)"; \
	  sed -n 's/^shlibs:Depends=/Depends: /p' $(DEB_DIR)/shlibs; \
	  echo 'Section: utils'; \
	  echo 'Priority: optional'; \
	  echo 'Description: parallel job runner, for GNU parallel and xargs -P users'; \
	  echo ' wgrun runs shell commands, or commands built from templates and input'; \
	  echo ' lists, at most N at a time, waits until all are done and reports every'; \
	  echo ' exit code. It takes the options of GNU parallel and xargs, joins a make'; \
	  echo ' jobserver, runs jobs on ssh hosts and as Slurm steps, and splits input'; \
	  echo ' with --pipe. It also ships its core, a C++20 port of Go'"'"'s'; \
	  echo ' sync.WaitGroup, as a static library with a header and a pkg-config file.'; \
	} >$(DEB_ROOT)/DEBIAN/control
	chmod -R u+rwX,go+rX,go-w $(DEB_ROOT)
	dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $(DEB)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wgrun
	rm -f $(DESTDIR)$(LIBDIR)/libwgrun.a $(DESTDIR)$(LIBDIR)/pkgconfig/wgrun.pc
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/wgrun/,$(notdir $(wildcard core/sync/include/wgrun/*.hpp)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/wgrun 2>/dev/null
	for page in $(MAN_PAGES); do \
	    section=$${page##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$section/$${page##*/}; \
	done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/wgrun $(DESTDIR)$(ZSHCOMPDIR)/_wgrun \
	    $(DESTDIR)$(FISHCOMPDIR)/wgrun.fish

clean:
	rm -rf build

-include $(CORE_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(CLI_TEST_OBJS:.o=.d) \
    $(BENCH_OBJS:.o=.d) $(TEST_PCH).d
