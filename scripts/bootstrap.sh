#!/usr/bin/env bash
# Installs the Debian packages xent needs for building, testing and
# benchmarking.  As root with apt it installs what is missing; otherwise it
# prints the exact commands to run.  Safe to run repeatedly.
set -euo pipefail

need_amd64=(cmake make gcc g++ clang pkg-config libsleef-dev libbenchmark-dev libcmocka-dev
            libmpfr-dev qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
            python3-numpy python3-pytest python3-torch python3-sklearn python3-matplotlib)
need_arm64=(libsleef-dev:arm64 libcmocka-dev:arm64)

missing=()
for p in "${need_amd64[@]}" "${need_arm64[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "bootstrap: run as root:" >&2
  echo "  dpkg --add-architecture arm64 && apt-get update" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
