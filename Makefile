# rawbox — one Makefile. `make` builds build/release/rawbox (and nothing
# else: no test library needed); `make all` adds the unit tests and guest
# ROMs; `make check` installs test dependencies, builds (release, ASan+UBSan,
# clang) and runs the suite (scripts/check.sh). MODE=release|asan|clang
# picks build/$(MODE).
# Every .c under src/ is part of the build; new files need no edit here.

CC      ?= cc
MODE    ?= release
BUILD   := build/$(MODE)

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS_BASE := -std=gnu11 -D_GNU_SOURCE -pthread -g -Isrc $(WARN) -MMD -MP
ifeq ($(MODE),asan)
  CFLAGS_MODE := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDFLAGS_MODE := -fsanitize=address,undefined
else
  CFLAGS_MODE := -O2
  LDFLAGS_MODE :=
endif
# --kernel-unpack's decompressors (src/boot/unpack.c): zlib, liblzma, libzstd,
# liblz4, liblzo2 through pkg-config (the names in the fallback when it is
# not installed yet), libbz2 directly (Debian ships no .pc for it).
UNPACK_PKGS := zlib liblzma libzstd liblz4 lzo2
UNPACK_CFLAGS := $(shell pkg-config --cflags $(UNPACK_PKGS) 2>/dev/null)
UNPACK_LIBS := $(shell pkg-config --libs $(UNPACK_PKGS) 2>/dev/null || echo -lz -llzma -lzstd -llz4 -llzo2) -lbz2
# The monitor's screendump writes PNG (src/ui/png.c): libpng.
PNG_CFLAGS := $(shell pkg-config --cflags libpng 2>/dev/null)
PNG_LIBS := $(shell pkg-config --libs libpng 2>/dev/null || echo -lpng16)
# --display frontends (src/ui/display_*.c): each library pkg-config finds
# turns its frontend on (RAWBOX_HAVE_SDL, _VNC, _CURSES); without it the
# frontend is a stub that refuses to open, saying what to install.
pkg_found = $(shell pkg-config --exists $(1) 2>/dev/null && echo y)
DISPLAY_CFLAGS :=
DISPLAY_LIBS :=
ifeq ($(call pkg_found,sdl2),y)
  DISPLAY_CFLAGS += -DRAWBOX_HAVE_SDL $(shell pkg-config --cflags sdl2)
  DISPLAY_LIBS += $(shell pkg-config --libs sdl2)
endif
ifeq ($(call pkg_found,libvncserver),y)
  DISPLAY_CFLAGS += -DRAWBOX_HAVE_VNC $(shell pkg-config --cflags libvncserver)
  DISPLAY_LIBS += $(shell pkg-config --libs libvncserver)
endif
ifeq ($(call pkg_found,ncurses),y)
  DISPLAY_CFLAGS += -DRAWBOX_HAVE_CURSES $(shell pkg-config --cflags ncurses)
  DISPLAY_LIBS += $(shell pkg-config --libs ncurses)
endif
ALL_CFLAGS := $(CFLAGS_BASE) $(CFLAGS_MODE) $(UNPACK_CFLAGS) $(PNG_CFLAGS) $(CFLAGS)
# -pthread: the disk I/O threads (src/block/aio.c).
LDLIBS  := -lm -pthread $(UNPACK_LIBS) $(PNG_LIBS) $(DISPLAY_LIBS) $(LIBS)

MAIN_SRC := src/cli/main.c
SRCS     := $(filter-out $(MAIN_SRC),$(sort $(shell find src -name '*.c')))
ASM_SRCS := $(sort $(shell find src -name '*.S'))
OBJS     := $(patsubst %.c,$(BUILD)/%.o,$(SRCS)) $(patsubst %.S,$(BUILD)/%.o,$(ASM_SRCS))
LIB      := $(BUILD)/librawbox.a
BIN      := $(BUILD)/rawbox

UNIT_SRCS := $(sort $(shell find tests/unit -name '*_test.c' 2>/dev/null))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
UNIT_SUPPORT := $(filter-out $(UNIT_SRCS),$(sort $(shell find tests/unit -name '*.c' 2>/dev/null)))

GUEST_ASM := $(sort $(wildcard tests/guest/*.asm))
GUEST_BINS := $(patsubst tests/guest/%.asm,build/guest/%.bin,$(GUEST_ASM))

.PHONY: all rawbox tests unit guest check check-fast demo deps clean bench asan
# Plain `make`: rawbox only. Unit tests need capstone, guest ROMs nasm
# (scripts/deps.sh check); `make all` (or `make tests`) builds them.
.DEFAULT_GOAL := rawbox
all: $(BIN) $(UNIT_BINS) $(GUEST_BINS)
tests: $(UNIT_BINS) $(GUEST_BINS)
rawbox: $(BIN)
unit: $(UNIT_BINS)
guest: $(GUEST_BINS)

# Only the frontends see their libraries' flags (ncurses brings _XOPEN_SOURCE).
$(BUILD)/src/ui/display_%.o: ALL_CFLAGS += $(DISPLAY_CFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -Isrc -MMD -MP -c $< -o $@

$(LIB): $(OBJS)
	@rm -f $@
	ar rcs $@ $^

# Whole-archive: instruction handlers override weak defaults (optable.c), so
# every member must be linked even when nothing else references it.
WHOLE_LIB = -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive

$(BIN): $(BUILD)/$(MAIN_SRC:.c=.o) $(LIB)
	$(CC) $(LDFLAGS_MODE) $(LDFLAGS) -o $@ $< $(WHOLE_LIB) $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c $(UNIT_SUPPORT) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS_MODE) -o $@ $< $(UNIT_SUPPORT) $(WHOLE_LIB) $(LDLIBS) $(TEST_LIBS)

build/guest/%.bin: tests/guest/%.asm $(wildcard tests/guest/include/*.inc)
	@mkdir -p $(dir $@)
	nasm -f bin -I tests/guest/include/ -o $@ $<

# The SDL frontend's test pushes SDL events itself.
$(BUILD)/unit/ui/display_sdl_test: ALL_CFLAGS += $(DISPLAY_CFLAGS)

# The decoder test cross-checks against Capstone.
$(BUILD)/unit/cpu/decode_test: TEST_LIBS = -lcapstone
# So do the JIT's emitter tests, for every encoding they produce.
$(BUILD)/unit/jit/%: TEST_LIBS = -lcapstone

asan:
	$(MAKE) MODE=asan all

deps:
	scripts/deps.sh build

# scripts/check.sh builds release, asan (ASan+UBSan) and a clang compile
# check itself, reporting each build as a test line, then runs everything.
check:
	scripts/deps.sh check
	scripts/check.sh

# Release build and tests only, nothing installed (for quick local loops).
check-fast:
	scripts/check.sh --fast

# `make demo` boots the amd64 guest; `make demo ARCH=i386` the 32-bit one
# (scripts/demo.sh).
demo:
	scripts/deps.sh demo
	$(MAKE) $(BIN)
	ARCH=$(ARCH) scripts/demo.sh

bench: $(BIN)
	bench/run.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
