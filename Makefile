# cella - one plain GNU Makefile. `make help` lists the targets.
.DEFAULT_GOAL := all
.SUFFIXES:
.SECONDEXPANSION:
.DELETE_ON_ERROR:

V ?= 0
Q := $(if $(filter 1,$(V)),,@)
B := build
CLANG ?= 0
CROSS ?= aarch64-linux-gnu-

# ---- EL2 (freestanding, cross) --------------------------------------------------------------
ifeq ($(CLANG),1)
EL2_CC := clang --target=aarch64-linux-gnu
else
EL2_CC := $(CROSS)gcc
endif
EL2_LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
EL2_INC := $(shell $(EL2_CC) -print-file-name=include 2>/dev/null)
# the architecture's public headers: the core sees <arch/arch.h> through this path only
ARCH := aarch64
ARCH_INC := -Isrc/arch/$(ARCH)/include

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	-Wvla -Wundef -Wno-unused-parameter
EL2_CFLAGS := -std=c11 -ffreestanding -nostdinc -isystem $(EL2_INC) -Isrc/lib/libc -Isrc $(ARCH_INC) -Iinclude \
	-O2 -g $(WARN) -mgeneral-regs-only -mstrict-align -fno-stack-protector -fno-pic -fno-pie \
	-fno-omit-frame-pointer -ffunction-sections -fdata-sections -mno-outline-atomics -DCELLA_EL2=1
EL2_ASFLAGS := -Isrc $(ARCH_INC) -Iinclude -g -DCELLA_EL2=1 -D__ASSEMBLY__

EL2_SRCS := \
	src/arch/aarch64/head.S src/arch/aarch64/exception.S src/arch/aarch64/fpsimd.S \
	src/arch/aarch64/mmu.c src/arch/aarch64/gicv3.c src/arch/aarch64/vgic.c \
	src/arch/aarch64/vgic_model.c src/arch/aarch64/stage2.c src/arch/aarch64/trap.c \
	src/arch/aarch64/vcpu.c src/arch/aarch64/smccc.c src/arch/aarch64/vpsci.c \
	src/core/main.c src/core/cell.c src/core/cellctl.c src/core/pcpu.c src/core/sched.c src/core/loader/linux.c \
	src/core/lifecycle.c src/core/sysdesc.c src/core/memmap.c \
	src/core/sysimg.c src/core/guest_dt.c src/core/platform_dt.c src/core/console.c \
	src/core/console_filter.c src/core/mmio.c src/core/stats.c src/core/cap.c src/core/hypercall.c src/core/prompt.c src/core/chan.c \
	src/dev/vpl011.c src/dev/vpci.c src/platform/uart_pl011.c \
	src/lib/fdt.c src/lib/fdt_write.c src/lib/printf.c src/lib/string.c src/lib/err.c
EL2_OBJS := $(patsubst src/%,$(B)/el2/%.o,$(EL2_SRCS))

# ---- host (unit tests and tools) -------------------------------------------------------------
HOST_CC ?= cc
HOST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g $(WARN) -Isrc $(ARCH_INC) -Iinclude
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CMOCKA_LIBS := -lcmocka

# unit test name -> the pure sources it tests
UT_fdt := src/lib/fdt.c src/lib/fdt_write.c src/lib/err.c
UT_sysdesc := src/core/sysdesc.c src/lib/fdt.c src/lib/fdt_write.c src/lib/printf.c src/lib/err.c
UT_memmap := src/core/memmap.c src/lib/err.c
UT_sysimg := src/core/sysimg.c src/lib/printf.c src/lib/err.c
UT_guest_dt := src/core/guest_dt.c src/lib/fdt.c src/lib/fdt_write.c src/lib/err.c
UT_platform_dt := src/core/platform_dt.c src/lib/fdt.c src/lib/fdt_write.c src/lib/printf.c src/lib/err.c
UT_stage2 := src/arch/aarch64/stage2.c src/lib/err.c
UT_vgic_model := src/arch/aarch64/vgic_model.c src/lib/err.c
UT_smccc := src/arch/aarch64/smccc.c src/lib/err.c
UT_vpl011 := src/dev/vpl011.c src/core/mmio.c src/lib/err.c
UT_vpci := src/dev/vpci.c src/core/mmio.c src/lib/err.c
UT_printf := src/lib/printf.c src/lib/err.c
UT_mmio := src/core/mmio.c src/lib/err.c
UT_dabt :=
UT_cap := src/core/cap.c src/core/hypercall.c
UT_prompt := src/core/prompt.c
UT_lifecycle := src/core/lifecycle.c src/lib/err.c
UT_console_filter := src/core/console_filter.c
UT_sched := src/core/sched.c
UT_insn :=
UT_pmu :=
UT_chan_ring := tools/guest/chan_ring.c
UNIT_TESTS := chan_ring sched cap prompt mmio dabt insn pmu lifecycle console_filter fdt sysdesc memmap sysimg guest_dt \
	platform_dt stage2 vgic_model smccc vpl011 vpci printf
UNIT_BINS := $(patsubst %,$(B)/unit/test_%,$(UNIT_TESTS))

PACK_SRCS := tools/cella-pack.c src/core/sysdesc.c src/core/sysimg.c src/core/guest_dt.c src/lib/fdt.c src/lib/fdt_write.c src/lib/printf.c src/lib/err.c

# ---- guests built from this tree (native test cells) -------------------------------------------
GUEST_CFLAGS := $(filter-out -DCELLA_EL2=1,$(EL2_CFLAGS)) -DCELLA_GUEST=1
TESTCELL_SRCS := tests/guests/testcell/head.S tests/guests/testcell/main.c \
	tests/guests/testcell/gic.c tests/guests/testcell/basic.c tests/guests/testcell/hostile.c tests/guests/testcell/hostile_traps.c \
	tests/guests/testcell/hostile_psci.c tests/guests/testcell/fp.c tests/guests/testcell/fpdump.S \
	tests/guests/testcell/pmu.c tests/guests/testcell/spi.c tests/guests/testcell/rx.c \
	tests/guests/testcell/a32.c tests/guests/testcell/a32.S tests/guests/testcell/caps.c \
	tests/guests/testcell/sched.c tests/guests/testcell/chan.c \
	src/lib/fdt.c src/lib/fdt_write.c src/lib/printf.c src/lib/string.c src/lib/err.c
TESTCELL_OBJS := $(patsubst %,$(B)/guests/%.o,$(TESTCELL_SRCS))

# ---- QEMU ------------------------------------------------------------------------------------
QEMU := qemu-system-aarch64
# -nic none: QEMU virt otherwise adds a virtio-net NIC whose option ROM only ipxe-qemu has;
# cella uses no NIC, and every command line names what it wants (the board, the serial console)
QEMU_MACHINE := -M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on -nic none
SMP ?= 4
MEM ?= 1G
DTS ?= examples/default.dts
GUEST_DIR := guest-cache

.PHONY: all build help run test unit systest bench loc check clean distclean setup guest tools guests fuzz components
# Targets that need installed packages run tools/setup.sh first, then make the rest in a fresh
# make (whose $(shell ...) probes then see the cross compiler setup may just have installed).
all: setup
	$(Q)$(MAKE) --no-print-directory build

build: $(B)/cella.bin tools guests components

help:
	@echo "make run      install what is missing, fetch the guest, build, boot $(DTS) in QEMU"
	@echo "make test     unit tests (cmocka) and system tests under QEMU (TAP via prove)"
	@echo "make bench    deterministic boot benchmark: native Linux vs a cella cell (-icount)"
	@echo "make loc      lines of C and assembly that run at EL2"
	@echo "make check    cppcheck over the EL2 sources, cella-pack and the guest tools"
	@echo "make fuzz     libFuzzer (clang) on the parsers, FUZZ_SECONDS=20 each; finds: build/fuzz/crashes"
	@echo "make CLANG=1  build EL2 code with clang instead of gcc;  V=1 for verbose"
	@echo "variables: DTS=<description.dts> SMP=<pCPUs> MEM=<machine RAM>"

setup:
	$(Q)tools/setup.sh

# ---- EL2 build -------------------------------------------------------------------------------
$(B)/el2/%.c.o: src/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(EL2_CC) $(EL2_CFLAGS) -MMD -MP -c $< -o $@

$(B)/el2/%.S.o: src/%.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(EL2_CC) $(EL2_ASFLAGS) -MMD -MP -c $< -o $@

$(B)/cella.elf: $(EL2_OBJS) src/arch/aarch64/cella.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(EL2_LD) -nostdlib -static --gc-sections --no-warn-rwx-segments -T src/arch/aarch64/cella.ld $(EL2_OBJS) -o $@

$(B)/cella.bin: $(B)/cella.elf
	$(Q)$(OBJCOPY) -O binary $< $@

# ---- host tools ------------------------------------------------------------------------------
tools: $(B)/cella-pack

$(B)/cella-pack: $(PACK_SRCS) $(wildcard src/core/*.h src/lib/*.h include/cella/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(PACK_SRCS) -o $@

# ---- guests ----------------------------------------------------------------------------------
guests: $(B)/guests/testcell.bin

$(B)/guests/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(EL2_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/guests/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(EL2_CC) $(EL2_ASFLAGS) -DCELLA_GUEST=1 -MMD -MP -c $< -o $@

$(B)/guests/testcell.elf: $(TESTCELL_OBJS) tests/guests/testcell/testcell.ld
	$(Q)$(EL2_LD) -nostdlib -static --gc-sections --no-warn-rwx-segments -T tests/guests/testcell/testcell.ld $(TESTCELL_OBJS) -o $@

$(B)/guests/testcell.bin: $(B)/guests/testcell.elf
	$(Q)$(OBJCOPY) -O binary $< $@

# ---- native components: components/NAME/*.c -> build/components/NAME.bin (docs/components.md) --
# linked with the runtime (components/runtime) and Debian's picolibc; the include, TLS and link
# flags are those picolibc.specs adds, spelled out so that clang (which has no specs) builds too
PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
COMPONENTS := $(filter-out runtime,$(notdir $(patsubst %/,%,$(dir $(wildcard components/*/*.c)))))
RT_OBJS := $(patsubst components/%,$(B)/components/%.o,$(wildcard components/runtime/*.S components/runtime/*.c))
COMP_CFLAGS := -std=c11 -nostdinc -isystem $(PICOLIBC)/include -isystem $(EL2_INC) \
	-Icomponents/runtime/include -Iinclude -O2 -g $(WARN) -fno-stack-protector -fno-pic -fno-pie \
	-ftls-model=local-exec -ffunction-sections -fdata-sections -mno-outline-atomics
# the runtime's start runs with the MMU off: aligned accesses only, no calls to the C library
RT_CFLAGS := $(COMP_CFLAGS) -mstrict-align -fno-builtin $(if $(filter 1,$(CLANG)),,-fno-tree-loop-distribute-patterns)
COMP_LIBS = -L$(PICOLIBC)/lib --start-group -lc $(shell $(CROSS)gcc -print-libgcc-file-name 2>/dev/null) --end-group

.PRECIOUS: $(B)/components/runtime/%.c.o $(B)/components/%.c.o $(B)/components/%.S.o $(B)/components/%.elf

components: $(patsubst %,$(B)/components/%.bin,$(COMPONENTS))

$(B)/components/runtime/%.c.o: components/runtime/%.c
	@mkdir -p $(dir $@)
	$(Q)$(EL2_CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(B)/components/%.c.o: components/%.c
	@mkdir -p $(dir $@)
	$(Q)$(EL2_CC) $(COMP_CFLAGS) -MMD -MP -c $< -o $@

$(B)/components/%.S.o: components/%.S
	@mkdir -p $(dir $@)
	$(Q)$(EL2_CC) -D__ASSEMBLY__ -g -MMD -MP -c $< -o $@

$(B)/components/%.elf: $(RT_OBJS) $$(addprefix $(B)/,$$(addsuffix .o,$$(wildcard components/$$*/*.c))) components/runtime/component.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(EL2_LD) -nostdlib -static --gc-sections --no-warn-rwx-segments -T components/runtime/component.ld \
		$(filter %.o,$^) $(COMP_LIBS) -o $@

$(B)/components/%.bin: $(B)/components/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@

# ---- guest kernel and initramfs (fetched, cached, never committed) ----------------------------
guest: $(GUEST_DIR)/.done

$(GUEST_DIR)/.done: tools/fetch-guest.sh tools/initramfs/init bench/cntvct.c \
		$(wildcard tools/guest/*.c tools/guest/*.h) include/cella/abi.h
	$(Q)tools/fetch-guest.sh $(GUEST_DIR)

# ---- system images ---------------------------------------------------------------------------
$(B)/%.dtb: examples/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# one Linux cell alone (tests/system/06-linux.t); `make run` packs examples/default.dts below
$(B)/default.img: $(B)/cella.bin $(B)/cella-pack $(B)/one-linux.dtb $(GUEST_DIR)/.done
	$(Q)$(B)/cella-pack -o $@ --cella $(B)/cella.bin --description $(B)/one-linux.dtb \
		--search $(GUEST_DIR) --search examples

# the system `make run` boots: any description, DTS=path/to/system.dts
RUN_DTB := $(B)/run/$(basename $(notdir $(DTS))).dtb
RUN_IMG := $(RUN_DTB:.dtb=.img)

$(RUN_DTB): $(DTS)
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(RUN_IMG): $(RUN_DTB) $(B)/cella.bin $(B)/cella-pack $(GUEST_DIR)/.done
	$(Q)$(B)/cella-pack -o $@ --cella $(B)/cella.bin --description $(RUN_DTB) \
		--pcpus $(SMP) --search $(GUEST_DIR) --search $(dir $(DTS)) --search $(B)/guests --search $(B)/components

run: setup
	$(Q)$(MAKE) --no-print-directory $(RUN_IMG)
	@echo "cella: booting $(DTS) on QEMU virt ($(SMP) pCPUs, $(MEM)); leave QEMU with Ctrl-a x"
	$(Q)$(QEMU) $(QEMU_MACHINE) -smp $(SMP) -m $(MEM) -nographic -kernel $(RUN_IMG)

# ---- tests -----------------------------------------------------------------------------------
$(B)/unit/test_%: tests/unit/test_%.c $$(UT_$$*) $(wildcard src/*/*.h src/*/*/*.h include/cella/*.h tests/unit/*.h tools/guest/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(SAN) $< $(UT_$*) -o $@ $(CMOCKA_LIBS)


unit: $(UNIT_BINS)
	$(Q)fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

systest: build guest $(B)/default.img
	$(Q)prove -v tests/system/

test: setup
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory systest

bench: setup
	$(Q)$(MAKE) --no-print-directory build guest
	$(Q)bench/boot.sh; rc=$$?; bench/chan.sh || rc=1; exit $$rc

loc:
	$(Q)tools/loc.sh $(EL2_SRCS) $(wildcard src/*/*.h src/*/*/*.h src/*/*/*/*/*.h)

check: setup
	$(Q)cppcheck --quiet --error-exitcode=1 --std=c11 -Isrc $(ARCH_INC) -Iinclude -Isrc/lib/libc \
		$(filter %.c,$(EL2_SRCS)) tools/cella-pack.c
	$(Q)cppcheck --quiet --error-exitcode=1 --std=c11 -Iinclude -Itools/guest tools/guest/*.c
	$(Q)tools/check-layers.sh

# ---- fuzzing (clang libFuzzer + ASan + UBSan) ---------------------------------------------------
# tests/fuzz/fuzz_<t>.c feeds untrusted input to a pure parser and checks its header's promises.
# `make fuzz` builds each harness and runs it FUZZ_SECONDS over build/fuzz/corpus-<t>, a copy of
# the committed seeds tests/fuzz/corpus/<t> (tests/fuzz/run.sh); it fails if any input crashes.
# FUZZ_TARGETS picks harnesses, FUZZ_FLAGS passes libFuzzer options (e.g. -jobs=2).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
FUZZ_TARGETS ?= fdt sysdesc sysimg platform_dt vgic hypercall vpci
FUZZ_FLAGS ?=
FUZZ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 $(WARN) -Isrc $(ARCH_INC) -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_fdt := src/lib/fdt.c src/lib/fdt_write.c src/lib/err.c
FUZZ_sysdesc := src/core/sysdesc.c src/lib/fdt.c src/lib/fdt_write.c src/lib/printf.c src/lib/err.c
FUZZ_sysimg := src/core/sysimg.c src/lib/printf.c src/lib/err.c
FUZZ_platform_dt := src/core/platform_dt.c src/lib/fdt.c src/lib/fdt_write.c src/lib/printf.c src/lib/err.c
FUZZ_vgic := src/arch/aarch64/vgic_model.c src/lib/err.c
FUZZ_hypercall := src/core/hypercall.c src/core/cap.c
FUZZ_vpci := src/dev/vpci.c src/core/mmio.c src/lib/err.c

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $$(FUZZ_$$*) $(wildcard src/*/*.h src/*/*/*.h src/*/*/*/*/*.h include/cella/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_$*) -o $@

fuzz: setup
	$(Q)$(MAKE) --no-print-directory fuzz-run

.PHONY: fuzz-run
fuzz-run: $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
	$(Q)fail=0; for t in $(FUZZ_TARGETS); do \
		FUZZ_BUILD=$(B) tests/fuzz/run.sh $$t $(FUZZ_SECONDS) $(FUZZ_FLAGS) || fail=1; \
	done; exit $$fail

clean:
	rm -rf $(B)

distclean: clean
	rm -rf $(GUEST_DIR)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
