#!/usr/bin/env bash
# Install the official Hetzner Cloud CLI (`hcloud`) from the system's packages when it is missing
# (called by the interop tests). Exits non-zero when it cannot: no package manager that ships it,
# or no root and no password-less sudo.
set -u
command -v hcloud >/dev/null 2>&1 && exit 0

sudo=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "ensure_hcloud: hcloud is missing and installing it needs root" >&2
        exit 1
    fi
fi

if command -v apt-get >/dev/null 2>&1; then
    # Debian and Ubuntu ship it as hcloud-cli.
    $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends hcloud-cli
elif command -v dnf >/dev/null 2>&1; then
    $sudo dnf install -y -q hcloud
elif command -v apk >/dev/null 2>&1; then
    $sudo apk add --quiet hcloud
elif command -v brew >/dev/null 2>&1; then
    brew install --quiet hcloud
else
    echo "ensure_hcloud: no known package manager to install hcloud with" >&2
    exit 1
fi
command -v hcloud >/dev/null 2>&1
