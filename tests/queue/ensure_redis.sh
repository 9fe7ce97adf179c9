#!/usr/bin/env bash
# Install redis-server from the system's packages when it is missing (called by the queue tests).
# Exits non-zero when it cannot: no package manager it knows, or no root and no password-less sudo.
set -u
command -v redis-server >/dev/null 2>&1 && exit 0

sudo=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "ensure_redis: redis-server is missing and installing it needs root" >&2
        exit 1
    fi
fi

if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server
elif command -v dnf >/dev/null 2>&1; then
    $sudo dnf install -y -q redis
elif command -v yum >/dev/null 2>&1; then
    $sudo yum install -y -q redis
elif command -v apk >/dev/null 2>&1; then
    $sudo apk add --quiet redis
elif command -v brew >/dev/null 2>&1; then
    brew install --quiet redis
else
    echo "ensure_redis: no known package manager to install redis-server with" >&2
    exit 1
fi
command -v redis-server >/dev/null 2>&1
