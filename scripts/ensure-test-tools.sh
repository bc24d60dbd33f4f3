#!/usr/bin/env bash
# Makes the tools the test suite runs available in .tools/bin/ (git-ignored), which vitest puts first on PATH:
# - promtool, for the alert-rule tests (`promtool check rules` / `promtool test rules`);
# - busybox, whose `sh`, `awk`, `date` and `sleep` are what the heartbeat and Airflow sidecar images run, so the
#   generated shell is tested with the shell that runs it in production, not only with the machine's /bin/sh.
#
# Both come from Debian's packages, unpacked with `apt-get download` + `dpkg -x` rather than installed: installing
# `prometheus` would also install and start a Prometheus server, and busybox's applets would shadow coreutils.
#
# Idempotent and silent when the tools are already there; needs apt-get and dpkg (Debian/Ubuntu) otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
bin=.tools/bin

# Whether `name` already works, on PATH or in .tools/bin, with `check` as its arguments.
have() {
  local name="$1"
  shift
  { [ -x "$bin/$name" ] && "$bin/$name" "$@" >/dev/null 2>&1; } ||
    { command -v "$name" >/dev/null 2>&1 && "$name" "$@" >/dev/null 2>&1; }
}

# Unpacks `path` from Debian package `package` to .tools/bin/`name`.
unpack() {
  local package="$1" path="$2" name="$3"
  for tool in apt-get apt-cache dpkg; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "ensure-test-tools: $name is not on PATH and '$tool' is missing: install Debian's $package package by hand" >&2
      exit 1
    fi
  done
  # The package lists are only refreshed when apt does not know the package yet (a fresh container has no lists).
  if ! apt-cache show "$package" >/dev/null 2>&1; then
    apt-get update -qq
  fi
  local workdir
  workdir="$(mktemp -d)"
  # apt-get download writes into the current folder; -o APT::Sandbox::User=root avoids the _apt user's permission
  # warning in a folder that _apt cannot write to.
  (cd "$workdir" && apt-get download -qq -o APT::Sandbox::User=root "$package" >/dev/null)
  local deb
  deb="$(find "$workdir" -maxdepth 1 -name "${package}_*.deb" | head -n 1)"
  if [ -z "$deb" ]; then
    echo "ensure-test-tools: apt-get download $package produced no .deb" >&2
    rm -rf "$workdir"
    exit 1
  fi
  dpkg -x "$deb" "$workdir/root"
  mkdir -p "$bin"
  # Copy to a temporary name first, so an interrupted run never leaves a half-written binary behind.
  install -m 0755 "$workdir/root/$path" "$bin/$name.tmp"
  mv "$bin/$name.tmp" "$bin/$name"
  rm -rf "$workdir"
}

have promtool --version || unpack prometheus usr/bin/promtool promtool
have promtool --version
have busybox true || unpack busybox bin/busybox busybox
have busybox true
