# Kevlar: the front door. `make run` boots a shell; `make test` runs every test.
# Both first run tools/setup.sh (idempotent) so a fresh machine needs nothing else.

ARCH        ?= x86_64
TARGET      := $(ARCH)-unknown-none
PROFILE     ?= release
BUILD       := build
KERNEL_ELF  := $(BUILD)/kevlar.elf
CARGO_KERNEL = RUSTC_BOOTSTRAP=1 cargo build -p kevlar_kernel --target $(TARGET) \
               -Zbuild-std=core,alloc -Zbuild-std-features=compiler-builtins-mem \
               $(if $(filter release,$(PROFILE)),--release,)

.PHONY: all setup kernel initramfs run test test-unit test-qemu clean FORCE

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

clean:
	cargo clean
	rm -rf $(BUILD)

FORCE:
