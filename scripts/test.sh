#!/usr/bin/env bash
# Installs what vireo needs, builds it, and runs every unit and integration
# test; ends with one line "N passed, M failed" counting each test case.
# Run as root on Debian 12.  Extra arguments go to `meson test`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if [ -f build/build.ninja ]; then
	meson setup --reconfigure build >/dev/null
else
	meson setup build
fi
ninja -C build

rc=0
meson test -C build --print-errorlogs "$@" || rc=$?
# Leave no hugepage files behind, whatever the tests did.
rm -f /dev/hugepages/vit_* /dev/hugepages/test_*
/usr/bin/python3 scripts/test-summary.py build/meson-logs/testlog.json || rc=1
exit $rc
