#!/usr/bin/env bash
# Makes `promtool` available for the alert-rule tests (`promtool check rules` / `promtool test rules`).
#
# promtool ships in Debian's `prometheus` package, but installing that package would also install and try to start a
# Prometheus server. `apt-get download` + `dpkg -x` unpack the .deb without installing it, and only the promtool binary
# (statically linked Go) is kept, in .tools/bin/ inside the repository (git-ignored).
#
# Idempotent and silent when promtool is already there; needs apt-get and dpkg (Debian/Ubuntu) otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
target=.tools/bin/promtool

if command -v promtool >/dev/null 2>&1 && promtool --version >/dev/null 2>&1; then
  exit 0
fi
if [ -x "$target" ] && "$target" --version >/dev/null 2>&1; then
  exit 0
fi

for tool in apt-get apt-cache dpkg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ensure-promtool: promtool is not on PATH and '$tool' is missing: install Prometheus' promtool by hand" >&2
    exit 1
  fi
done

# The package lists are only refreshed when apt does not know the package yet (a fresh container has no lists).
if ! apt-cache show prometheus >/dev/null 2>&1; then
  apt-get update -qq
fi

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
# apt-get download writes into the current folder; -o APT::Sandbox::User=root avoids the _apt user's permission warning
# in a folder that _apt cannot write to.
(cd "$workdir" && apt-get download -qq -o APT::Sandbox::User=root prometheus >/dev/null)
deb="$(find "$workdir" -maxdepth 1 -name 'prometheus_*.deb' | head -n 1)"
if [ -z "$deb" ]; then
  echo "ensure-promtool: apt-get download prometheus produced no .deb" >&2
  exit 1
fi
dpkg -x "$deb" "$workdir/root"
mkdir -p "$(dirname "$target")"
# Copy to a temporary name first, so an interrupted run never leaves a half-written binary behind.
install -m 0755 "$workdir/root/usr/bin/promtool" "$target.tmp"
mv "$target.tmp" "$target"
"$target" --version >/dev/null
