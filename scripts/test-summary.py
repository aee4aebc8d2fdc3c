#!/usr/bin/env python3
"""Counts every test case of a meson test run and prints 'N passed, M failed'.

Each meson test here speaks TAP (cmocka's TAP output, or the integration
scripts' own), so one executable holds many test cases; this reads each
test's output from meson's testlog.json and counts its 'ok'/'not ok'
lines.  A test that failed without saying which case failed (a crash, a
timeout, a missing plan) counts as one more failure.
"""
import json
import re
import sys

OK = re.compile(r"^ok \d+")
NOT_OK = re.compile(r"^not ok \d+")
SKIP = re.compile(r"#\s*skip", re.IGNORECASE)


def main(path):
    passed = failed = skipped = 0
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            p = fl = 0
            for out in (t.get("stdout") or "").splitlines():
                out = out.strip()
                if NOT_OK.match(out):
                    fl += 1
                elif OK.match(out):
                    if SKIP.search(out):
                        skipped += 1
                    else:
                        p += 1
            if t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL") and fl == 0:
                fl = 1
                print(f"# {t.get('name')}: {t.get('result')} without a failing case",
                      file=sys.stderr)
            passed += p
            failed += fl
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/meson-logs/testlog.json"))
