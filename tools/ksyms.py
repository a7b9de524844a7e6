#!/usr/bin/env python3
"""Fill the kernel's .ksyms section with its own text symbols.

The kernel reserves a section (hal/src/ksyms.rs) and reads it to name
functions in panic backtraces. After linking, this script writes the table
into that section of the ELF file, in place; addresses do not move.

Usage: ksyms.py KERNEL_ELF
"""
import struct
import subprocess
import sys


def find_section(data, name):
    """(file offset, size) of section `name` in an ELF64 image."""
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    def sh(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    strtab_off = sh(shstrndx)[4]
    for i in range(shnum):
        s = sh(i)
        start = strtab_off + s[0]
        end = data.index(b"\0", start)
        if data[start:end].decode() == name:
            return s[4], s[5]
    raise SystemExit(f"ksyms: no {name} section")


def text_symbols(path):
    out = subprocess.run(["nm", "-n", "--defined-only", path], check=True, capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] not in "tTwW":
            continue
        addr = int(parts[0], 16)
        if addr < 0xFFFF_FFFF_8000_0000:
            continue
        syms.append((addr, parts[2].encode()[:200]))
    return syms


def main():
    path = sys.argv[1]
    data = bytearray(open(path, "rb").read())
    off, size = find_section(data, ".ksyms")
    syms = text_symbols(path)
    strtab = bytearray()
    entries = bytearray()
    for addr, name in syms:
        entries += struct.pack("<QII", addr, len(strtab), len(name))
        strtab += name
    blob = struct.pack("<4sIII", b"KSYM", len(syms), 16 + len(entries), 0) + entries + strtab
    if len(blob) > size:
        raise SystemExit(f"ksyms: table needs {len(blob)} bytes, section has {size}")
    data[off:off + len(blob)] = blob
    open(path, "wb").write(data)
    print(f"ksyms: {len(syms)} symbols, {len(blob)} of {size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
