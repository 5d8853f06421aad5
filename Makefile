# SPDX-License-Identifier: GPL-2.0
#
# LegoOS top-level Makefile.
#
#   make defconfig | processor_defconfig | memory_defconfig
#   make menuconfig | olddefconfig | oldconfig | savedefconfig
#   make [O=DIR]          build DIR/vmlinux (default DIR: build)
#   make iso [CMDLINE=..] build DIR/lego.iso, a GRUB2 rescue image
#   make install          install DIR/vmlinux under $(DESTDIR)/boot with a GRUB entry
#   make run              boot a processor and a memory manager in QEMU
#   make test             host unit tests, then system tests in QEMU
#   make modules          the Linux modules (lego_fit.ko) for Debian's kernel
#   make bench            benchmarks (bench-fit, bench-excache)
#   make usr              the usr/ test programs, into build/usr
#
# Every object goes to $(O), so two roles build side by side:
#   make O=build/processor processor_defconfig all
#   make O=build/memory memory_defconfig all

MAKEFLAGS += -rR --no-print-directory
SHELL := /bin/bash

srctree := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
O ?= build
objtree := $(abspath $(O))

ifeq ($(V),1)
Q :=
else
Q := @
endif

KCONFIG := $(srctree)/Kconfig
KCONFIG_CONFIG := $(objtree)/.config
AUTOCONF := $(objtree)/include/config/auto.conf
AUTOHEADER := $(objtree)/include/generated/autoconf.h
kconfig_env := srctree=$(srctree) KCONFIG_CONFIG=$(KCONFIG_CONFIG) \
	KCONFIG_AUTOCONFIG=$(AUTOCONF) KCONFIG_AUTOHEADER=$(AUTOHEADER)
KCONFIG_FILES := $(shell find $(srctree) -name Kconfig -not -path '$(srctree)/build/*' 2>/dev/null)

PYTHON := /usr/bin/python3
SETUP := $(srctree)/scripts/setup.sh

CC := gcc
LD := ld
NM := nm
OBJCOPY := objcopy

.DEFAULT_GOAL := all
.PHONY: all iso install run test unittest systest clean distclean help setup \
	modules linux-vm bench bench-fit bench-excache usr build-roles \
	defconfig %_defconfig menuconfig olddefconfig oldconfig savedefconfig

# ---------------------------------------------------------------- config
config_goals := defconfig %_defconfig menuconfig olddefconfig oldconfig savedefconfig

$(objtree):
	$(Q)mkdir -p $@/include/config $@/include/generated

define do_defconfig
	$(Q)test -f $(srctree)/configs/$@ || { echo "No such config: configs/$@" >&2; exit 1; }
	$(Q)cd $(objtree) && $(kconfig_env) kconfig-conf -s --defconfig=$(srctree)/configs/$@ $(KCONFIG)
	$(Q)echo "  CONFIG  $(O)/.config from configs/$@"
endef

defconfig: | $(objtree)
	$(do_defconfig)

%_defconfig: | $(objtree)
	$(do_defconfig)

menuconfig: | $(objtree)
	$(Q)cd $(objtree) && $(kconfig_env) kconfig-mconf $(KCONFIG)

olddefconfig oldconfig: | $(objtree)
	$(Q)cd $(objtree) && $(kconfig_env) kconfig-conf -s --$@ $(KCONFIG)

savedefconfig: | $(objtree)
	$(Q)cd $(objtree) && $(kconfig_env) kconfig-conf --savedefconfig=$(objtree)/defconfig $(KCONFIG)
	$(Q)echo "  SAVED   $(O)/defconfig"

$(KCONFIG_CONFIG):
	@echo "$(O)/.config is missing: run 'make O=$(O) processor_defconfig' (or memory_defconfig) first" >&2
	@exit 1

# auto.conf (for make) and autoconf.h (for C) are regenerated when the .config
# or any Kconfig changes; autoconf.h is the only way code sees configuration.
$(AUTOCONF) $(AUTOHEADER): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	$(Q)mkdir -p $(objtree)/include/config $(objtree)/include/generated
	$(Q)cd $(objtree) && $(kconfig_env) kconfig-conf -s --silentoldconfig $(KCONFIG)
	$(Q)touch $(AUTOCONF) $(AUTOHEADER)

# Configuration goals must not read the configuration they are about to write.
ifeq ($(filter $(config_goals) clean distclean help setup unittest test systest run build-roles \
	modules linux-vm bench bench-fit bench-excache usr,$(MAKECMDGOALS)),)
ifneq ($(wildcard $(KCONFIG_CONFIG)),)
-include $(AUTOCONF)
endif
endif

# ---------------------------------------------------------------- objects
# Each directory's Makefile lists its objects kbuild-style: obj-y += foo.o,
# obj-$(CONFIG_COMP_PROCESSOR) += bar.o.
src-dirs := arch/x86/boot arch/x86/kernel arch/x86/mm arch/x86/pci init kernel kernel/sched \
	lib mm drivers/tty drivers/acpi drivers/pci drivers/net net/core net/ipv4 net/fit \
	managers/processor managers/processor/excache managers/processor/fs managers/memory

objs :=
define collect_dir
obj-y :=
include $(srctree)/$(1)/Makefile
objs += $$(addprefix $(objtree)/$(1)/,$$(obj-y))
endef
$(foreach d,$(src-dirs),$(if $(wildcard $(srctree)/$(d)/Makefile),$(eval $(call collect_dir,$(d)))))

KBUILD_CFLAGS := -std=gnu11 -O2 -g -pipe -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes \
	-ffreestanding -fno-builtin -fno-common -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
	-mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-D__KERNEL__ -I$(srctree)/include -I$(srctree)/arch/x86/include \
	-I$(objtree)/include -include $(AUTOHEADER)
KBUILD_AFLAGS := -D__ASSEMBLY__ -g -I$(srctree)/include -I$(srctree)/arch/x86/include \
	-I$(objtree)/include -include $(AUTOHEADER)
LDSCRIPT := $(srctree)/arch/x86/kernel/vmlinux.lds
LDFLAGS := -n -nostdlib -z noexecstack -z max-page-size=0x1000 --no-warn-rwx-segments -T $(LDSCRIPT)

$(objtree)/%.o: $(srctree)/%.c $(AUTOHEADER)
	@mkdir -p $(dir $@)
	@echo "  CC      $*.o"
	$(Q)$(CC) $(KBUILD_CFLAGS) -MMD -MP -c $< -o $@

$(objtree)/%.o: $(srctree)/%.S $(AUTOHEADER)
	@mkdir -p $(dir $@)
	@echo "  AS      $*.o"
	$(Q)$(CC) $(KBUILD_AFLAGS) -MMD -MP -c $< -o $@

-include $(objs:.o=.d)

# ---------------------------------------------------------------- link
# Backtraces need symbol names: link once with an empty symbol table, extract
# the text symbols, and link again with them. The table sits after all code
# and data, so its size moves no symbol it describes.
KALLSYMS := $(srctree)/scripts/kallsyms.sh

$(objtree)/.tmp_kallsyms0.o: $(KALLSYMS) | $(objtree)
	$(Q)$(KALLSYMS) /dev/null > $(objtree)/.tmp_kallsyms0.S
	$(Q)$(CC) $(KBUILD_AFLAGS) -c $(objtree)/.tmp_kallsyms0.S -o $@

$(objtree)/vmlinux: $(objs) $(LDSCRIPT) $(objtree)/.tmp_kallsyms0.o $(KALLSYMS)
	@echo "  LD      vmlinux"
	$(Q)$(LD) $(LDFLAGS) -o $(objtree)/.tmp_vmlinux1 $(objs) $(objtree)/.tmp_kallsyms0.o
	$(Q)$(KALLSYMS) $(objtree)/.tmp_vmlinux1 > $(objtree)/.tmp_kallsyms1.S
	$(Q)$(CC) $(KBUILD_AFLAGS) -c $(objtree)/.tmp_kallsyms1.S -o $(objtree)/.tmp_kallsyms1.o
	$(Q)$(LD) $(LDFLAGS) -o $@ $(objs) $(objtree)/.tmp_kallsyms1.o
	$(Q)$(KALLSYMS) --check $(objtree)/.tmp_vmlinux1 $@
	@echo "  KERNEL  $(O)/vmlinux ($(if $(CONFIG_COMP_MEMORY),memory,processor) manager)"

all: $(objtree)/vmlinux

# ---------------------------------------------------------------- images
CMDLINE ?=
ISO := $(objtree)/lego.iso

iso: $(objtree)/vmlinux
	$(Q)$(srctree)/scripts/mkiso.sh $(objtree)/vmlinux $(ISO) "$(CMDLINE)" $(MODULES)
	@echo "  ISO     $(O)/lego.iso"

ROLE ?= $(shell sed -n 's/^CONFIG_COMP_\(PROCESSOR\|MEMORY\)=y/\L\1/p' $(KCONFIG_CONFIG) 2>/dev/null)
install:
	$(Q)test -f $(objtree)/vmlinux || { echo "Build first: make O=$(O)" >&2; exit 1; }
	$(Q)$(srctree)/scripts/install.sh $(objtree)/vmlinux $(ROLE)

# ---------------------------------------------------------------- run & test
setup:
	$(Q)$(SETUP) --check >/dev/null 2>&1 || $(SETUP)

roles := processor memory
build-roles: setup
	$(Q)for r in $(roles); do \
		test -f $(srctree)/build/$$r/.config || \
			$(MAKE) -f $(srctree)/Makefile O=$(srctree)/build/$$r $${r}_defconfig || exit 1; \
		$(MAKE) -f $(srctree)/Makefile O=$(srctree)/build/$$r all iso || exit 1; \
	done

run: build-roles usr
	$(Q)$(srctree)/scripts/lego shell

# Linux side: lego_fit.ko (and later modules) against Debian's kernel headers,
# and the Linux VM (Debian's kernel plus an initramfs carrying the modules).
modules: setup
	$(Q)$(srctree)/scripts/linux-vm/build modules

linux-vm: setup
	$(Q)$(srctree)/scripts/linux-vm/build image

bench-fit: build-roles
	$(Q)$(PYTHON) $(srctree)/scripts/bench/fit.py

# ExCache miss latency against a 4 KB FIT call, and membench's slowdown at
# 25%/50% of its working set (EXCACHE_BENCH_ARGS=--quick: a smaller run).
EXCACHE_BENCH_ARGS ?=
bench-excache: build-roles usr
	$(Q)$(PYTHON) $(srctree)/scripts/bench/excache.py $(EXCACHE_BENCH_ARGS)

bench: bench-fit bench-excache

# The usr/ programs (musl-gcc -static) always go to build/usr, whatever O is.
usr:
	$(Q)$(MAKE) -C $(srctree)/usr O=$(srctree)/build

unittest: setup
	$(Q)$(MAKE) -C $(srctree)/tests/unit

systest: build-roles linux-vm usr
	$(Q)cd $(srctree) && $(PYTHON) -m pytest tests/system

test: unittest systest

clean:
	$(Q)rm -rf $(objtree)/arch $(objtree)/init $(objtree)/kernel $(objtree)/lib \
		$(objtree)/mm $(objtree)/drivers $(objtree)/managers $(objtree)/vmlinux \
		$(objtree)/.tmp_* $(objtree)/lego.iso
	$(Q)$(MAKE) -C $(srctree)/tests/unit clean >/dev/null 2>&1 || true

distclean:
	$(Q)rm -rf $(srctree)/build
	$(Q)$(MAKE) -C $(srctree)/tests/unit clean >/dev/null 2>&1 || true

help:
	@sed -n '3,17s/^# \{0,1\}//p' $(srctree)/Makefile
