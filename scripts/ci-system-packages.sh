#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the portal's browser tests, a Myanmar font, and
# promtool to check the metrics output. Installed only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v promtool >/dev/null || need+=(prometheus)
fc-list 2>/dev/null | grep -qi padauk || need+=(fonts-sil-padauk)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
