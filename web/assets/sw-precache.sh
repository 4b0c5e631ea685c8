#!/bin/sh
# Trunk post_build hook: writes the build's version and the list of its files into dist's sw.js, so the
# service worker precaches exactly this build and a new build is a new worker ("Reload to update").
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
sw="$dir/sw.js"
[ -f "$sw" ] || exit 0
files=$(cd "$dir" && find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./||' | LC_ALL=C sort)
list=$(printf '%s\n' "$files" | sed 's/.*/"&"/' | paste -sd, -)
version=$(cd "$dir" && printf '%s\n' "$files" | xargs cat | cksum | cut -d' ' -f1)
tmp="$sw.tmp"
sed -e "s|^const VERSION = .*|const VERSION = '$version';|" \
    -e "s|^const PRECACHE = .*|const PRECACHE = [$list];|" "$sw" > "$tmp"
mv "$tmp" "$sw"
