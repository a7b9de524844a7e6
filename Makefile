# Kevlar: the front door.
#   make run    set up this machine, build, boot Kevlar into a BusyBox shell
#   make test   set up this machine, build, run every test
# Both run tools/setup.sh first (idempotent; seconds when all is installed).

ARCH        ?= x86_64
TARGET      := $(ARCH)-unknown-none
PROFILE     ?= release
BUILD       := build
KERNEL_ELF  := $(BUILD)/kevlar.elf
INITRAMFS   := $(BUILD)/initramfs.cpio
CARGO_KERNEL = RUSTC_BOOTSTRAP=1 cargo build -p kevlar_kernel --target $(TARGET) \
               -Zbuild-std=core,alloc -Zbuild-std-features=compiler-builtins-mem \
               $(if $(filter release,$(PROFILE)),--release,)
QEMU_TEST    = python3 tools/test-qemu.py --kernel $(KERNEL_ELF) --initrd $(INITRAMFS)

.PHONY: all setup kernel initramfs contracts run test test-host test-qemu test-panic test-contracts test-jobcontrol bench bench-icount clean FORCE

all: kernel

setup:
	@bash tools/setup.sh

kernel: $(KERNEL_ELF)

$(KERNEL_ELF): FORCE
	@mkdir -p $(BUILD)
	$(CARGO_KERNEL)
	@cp target/$(TARGET)/$(PROFILE)/kevlar $@.tmp
	@python3 tools/ksyms.py $@.tmp
	@mv $@.tmp $@

initramfs: FORCE
	@python3 tools/contracts.py --build-only
	@bash tools/build-initramfs.sh $(INITRAMFS)

# Boot into an interactive BusyBox shell (Ctrl-A X quits QEMU).
run: setup kernel initramfs
	@bash tools/run.sh

# Every test: host unit tests and checks; one QEMU boot running the guest
# suites (BusyBox scenario, EFAULT, crash, ...); the panic test; the
# contract tests (each run on the host Linux and in Kevlar, compared).
test: setup
	@$(MAKE) --no-print-directory test-host
	@$(MAKE) --no-print-directory kernel initramfs
	@$(MAKE) --no-print-directory test-qemu test-panic test-jobcontrol test-contracts
	@echo "make test: all passed"

test-host:
	cargo test --quiet
	python3 tools/gen-syscall-names.py --check
	python3 tools/compat.py --check
	bash tools/check-unsafe.sh
	python3 tools/test-qemu.py --selftest --quiet

# The ext4disk suite works on a virtio disk made here by mkfs.ext4 (from
# the tree build-initramfs.sh staged); afterwards e2fsck must find the
# disk clean and debugfs must read back what the guest wrote.
TEST_DISK := $(BUILD)/test-disk.img
test-qemu:
	@rm -f $(TEST_DISK) && mkfs.ext4 -q -F -d $(BUILD)/ext4-tree $(TEST_DISK) 16M
	$(QEMU_TEST) --suites all --timeout 600 --disk $(TEST_DISK) --append kevlar.loop=/tests/ext4.img --log $(BUILD)/test-qemu.log
	e2fsck -fn $(TEST_DISK)
	@test "$$(debugfs -R 'cat /new.txt' $(TEST_DISK) 2>/dev/null)" = "written by kevlar" || { echo "test-qemu: debugfs does not read back /new.txt"; exit 1; }
	@echo "test-qemu: the disk is clean (e2fsck -fn) and holds what the guest wrote"

test-panic:
	$(QEMU_TEST) --expect-panic --append kevlar.panic_test --timeout 120 --log $(BUILD)/test-panic.log

test-contracts:
	python3 tools/contracts.py

test-jobcontrol:
	python3 tools/test-jobcontrol.py

# Kevlar against Linux in the same QEMU setup (docs/performance.md).
# Timing never gates a test; `make test` runs the program in smoke mode.
bench: setup kernel
	python3 tools/bench.py --mode wall

# Instruction-counted guest time: ratios repeat run to run (two runs).
bench-icount: setup kernel
	python3 tools/bench.py --mode icount --runs 2

clean:
	cargo clean
	rm -rf $(BUILD)

FORCE:
