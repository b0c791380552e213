# tests/fuzz/fuzz.mk: builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# into build-fuzz/: every src/ and probes/ object except main.o goes into one archive, so a
# target links only what it uses. Driven by tests/fuzz/run (make -f tests/fuzz/fuzz.mk).
FUZZ_CC    ?= clang-14
FUZZ_BUILD ?= build-fuzz
PKGS       := libcurl openssl yaml-0.1 libcmark-gfm jansson libqrencode libxml-2.0 \
              libevent libevent_openssl sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
SANS       := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# No -Werror: a clang-only warning in a file being written elsewhere must not stop fuzzing.
SRC_DIRS   := $(sort $(patsubst %/,%,$(dir $(wildcard src/*/*.c src/*/*.h)))) probes probes/lib
HDRS       := $(wildcard $(addsuffix /*.h,$(SRC_DIRS)))
FCFLAGS    := -std=c11 -D_GNU_SOURCE -Wall -Wextra -O1 -g -fno-omit-frame-pointer $(SANS) \
              $(addprefix -I,$(SRC_DIRS)) $(PKG_CFLAGS) -DTORREADY_VERSION='"fuzz"' \
              -DTORREADY_DATADIR='"$(CURDIR)"' -DFUZZ_REPO='"$(CURDIR)"'

LIB_SRCS   := $(filter-out src/cli/main.c,$(wildcard src/*/*.c probes/*.c probes/lib/*.c))
LIB_OBJS   := $(LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o)
# tests/fuzz/run first builds the objects with -k, then links with FUZZ_PARTIAL=1: only the
# objects that compiled go into the archive, so a file being written elsewhere that does not
# compile yet leaves out only the targets that need it.
ifeq ($(FUZZ_PARTIAL),1)
LIB_OBJS   := $(wildcard $(LIB_OBJS))
endif
# A target whose parser has not landed yet (its header is missing) is left out.
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)

.PHONY: all objs
all: $(FUZZ_BINS)
objs: $(LIB_OBJS)

# The Mustache engine's bounds, made small: a hostile template then costs milliseconds rather
# than a second of ASan time, and the fuzzer still reaches every bound's code path.
$(FUZZ_BUILD)/src/render/tpl_render.o: FCFLAGS += -DMAX_WORK=200000UL -D'MAX_OUTPUT=((size_t)1 << 20)'

$(FUZZ_BUILD)/libtorready.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(FUZZ_BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC(fuzz) $<"
	@$(FUZZ_CC) $(FCFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $< || { rm -f $@; exit 1; }

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_BUILD)/libtorready.a
	@echo "  LD(fuzz) $@"
	@$(FUZZ_CC) $(FCFLAGS) -Itests/unit -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libtorready.a \
		$(PKG_LIBS) -lm
