#!/usr/bin/env bash
# Screenshots of the built site as a reader sees it: headless Chromium (Debian's package),
# at 1280 and 390 px wide, of the home page, one guide and one API page. Not part of `make test`.
# Usage: docs/screenshots/take.sh   (from the repository root; builds the site first)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet
out=docs/screenshots
port=8765
.venv/bin/python -m http.server "$port" --bind 127.0.0.1 --directory site >/dev/null 2>&1 &
server=$!
trap 'kill "$server"' EXIT
sleep 1
profile=$(mktemp -d)
shot() {  # shot NAME PATH WIDTH HEIGHT
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --user-data-dir="$profile" \
        --hide-scrollbars --window-size="$3,$4" --screenshot="$out/$1-$3.png" \
        "http://127.0.0.1:$port/$2" >/dev/null 2>&1
}
for width in 1280 390; do
    height=$([ "$width" = 1280 ] && echo 900 || echo 844)
    shot home "" "$width" "$height"
    shot guide "guides/provisioning/" "$width" "$height"
    shot api "reference/client/" "$width" "$height"
done
rm -rf "$profile"
ls -l "$out"/*.png
