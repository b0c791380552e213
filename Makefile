# torready build: `make` builds ./torready; `make test` installs what the tests need, builds,
# runs unit + integration tests, then the whole suite again under ASan+UBSan.
VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
DATADIR    ?= $(PREFIX)/share/torready
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
CC         ?= cc
PKGS       := libcurl openssl yaml-0.1 libcmark-gfm jansson libqrencode libxml-2.0 \
              libevent libevent_openssl sqlite3
SAN        ?=

ifeq ($(SAN),1)
BUILD      := build-asan
OPT        := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN      := -fsanitize=address,undefined
BIN        := $(BUILD)/torready
else
BUILD      := build
OPT        := -O2 -g
LDSAN      :=
BIN        := torready
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS     += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) $(addprefix -I,$(SRC_DIRS)) $(PKG_CFLAGS) \
              -DTORREADY_VERSION='"$(VERSION)"' -DTORREADY_DATADIR='"$(DATADIR)"'
LDLIBS     += $(PKG_LIBS) -lm

# The layers are folders (src/base, src/run, src/net, ...; probes/lib for probes' shared code);
# headers are included by name, so every folder is on the include path.
SRC_DIRS   := $(sort $(patsubst %/,%,$(dir $(wildcard src/*/*.c src/*/*.h)))) probes probes/lib
HDRS       := $(wildcard $(addsuffix /*.h,$(SRC_DIRS)))
SRCS       := $(wildcard src/*/*.c probes/*.c probes/lib/*.c)
OBJS       := $(SRCS:%.c=$(BUILD)/%.o)
LIBOBJS    := $(filter-out $(BUILD)/src/cli/main.o,$(OBJS))
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# FORCE: see datadir.stamp
.PHONY: FORCE all deps test-deps run test check-suite unit integration conformance install clean lint-kb bench \
        fuzz test-valgrind

all: $(BIN)

$(BIN): $(OBJS)
	@echo "  LD      $@"
	@$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

# paths.c bakes DATADIR in: rebuild it when PREFIX/DATADIR change.
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(BUILD)/src/base/paths.o: $(BUILD)/datadir.stamp
FORCE:

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIBOBJS) $(LDSAN) $(LDLIBS) -lcmocka

# Debian packages: building, and the real peers the tests start.
BUILD_DEBS := build-essential pkg-config libcurl4-openssl-dev libssl-dev libyaml-dev \
              libcmark-gfm-dev libcmark-gfm-extensions-dev libjansson-dev libqrencode-dev \
              libxml2-dev libevent-dev libsqlite3-dev
# What `check` runs beside itself: tor for tor.bootstrap, PT clients for obfs4 (and
# meek_lite) and snowflake bridges (tor_pt.c finds them by name).
RUN_DEBS   := tor obfs4proxy snowflake-client
# Real peers and page checks the tests start (one package a line keeps merges easy).
TEST_DEBS  := libcmocka-dev \
              python3-jsonschema \
              tor \
              obfs4proxy \
              nginx-light \
              openssl \
              python3 \
              iproute2 \
              sslsplit \
              mitmproxy \
              microsocks \
              exim4-daemon-light \
              coturn \
              chromium \
              firefox-esr \
              libnss3-tools \
              sqlite3 \
              diction \
              tidy \
              poppler-utils \
              zbar-tools \
              python3-yaml \
              cmark-gfm \
              nodejs \
              clang-14 \
              libclang-rt-14-dev \
              valgrind \
              curl \
              time
deps:
	@tools/install-deps $(BUILD_DEBS) $(RUN_DEBS)

test-deps:
	@tools/install-deps $(BUILD_DEBS) $(RUN_DEBS) $(TEST_DEBS)

# Sub-makes: pkg-config is read when a make starts, so build only after deps installed.
# Exit 1 means the check ran and found problems (its answer says which): not a make error.
# Bad usage (2), an internal error (3) and an interrupted run (130/143) still fail.
run: deps
	@$(MAKE) --no-print-directory all
	./torready check; rc=$$?; [ $$rc -le 1 ] || exit $$rc

unit: $(UNIT_BINS)
	@tests/run-all --flavour $(BUILD) --part unit

integration: $(BIN)
	@tests/run-all --flavour $(BUILD) --part integration

# Runs unit, Mustache conformance and integration tests (peers included) for one build
# flavour: `make check-suite` or `make SAN=1 check-suite`. `make test` runs both at once.
check-suite: $(BIN) $(UNIT_BINS)
	@tests/run-all --flavour $(BUILD)

# Guidance articles: `torready kb lint`, and plain language (Flesch-Kincaid grade <= 10 by
# GNU style) over each article's prose.
lint-kb: $(BIN)
	@TORREADY=$(CURDIR)/$(BIN) tools/lint-kb kb

test: test-deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=1 all
	@tests/run-tests

# Benchmarks with side-by-side baselines (bench/run; figures printed, never asserted).
bench: test-deps
	@$(MAKE) --no-print-directory all
	@bench/run

# libFuzzer targets (tests/fuzz/run): each to FUZZ_RUNS executions or FUZZ_SECONDS. The
# short smoke run of every target is part of `make test` (tests/run-all --part fuzz).
FUZZ_RUNS    ?= 1000000
FUZZ_SECONDS ?= 1200
fuzz:
	@for t in $$(tests/fuzz/run list); do tests/fuzz/run long $$t $(FUZZ_RUNS) $(FUZZ_SECONDS) || exit 1; done

# Unit tests and integration cases under valgrind memcheck: no errors, no definite leaks.
test-valgrind: test-deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@tools/test-valgrind $(UNIT_BINS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/kb $(DESTDIR)$(DATADIR)/templates \
	           $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 torready $(DESTDIR)$(PREFIX)/bin/torready
	install -m 644 kb/*.yaml kb/README.md $(DESTDIR)$(DATADIR)/kb/
	install -m 644 templates/* $(DESTDIR)$(DATADIR)/templates/
	install -m 644 torready.1 $(DESTDIR)$(PREFIX)/share/man/man1/torready.1
	@# systemd units for `serve` and a scheduled `check --submit`: installed, never enabled.
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR)
	for u in torready-serve.service torready-check.service; do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' dist/systemd/$$u.in >$(DESTDIR)$(SYSTEMD_UNITDIR)/$$u && \
		chmod 644 $(DESTDIR)$(SYSTEMD_UNITDIR)/$$u || exit 1; \
	done
	install -m 644 dist/systemd/torready-check.timer $(DESTDIR)$(SYSTEMD_UNITDIR)/

clean:
	rm -rf build build-asan build-fuzz torready output/*.html output/*.md output/*.json
