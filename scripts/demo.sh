#!/bin/bash
# `make demo`: until the Linux boot demo lands (issue 4), show the guest
# test programs running inside rawbox: each is a BIOS ROM that checks its
# own results in the guest and reports on the debug console (port 0xE9).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s all
status=0
for bin in build/guest/*.bin; do
    echo "== rawbox run --bios $bin --debugcon stdio"
    if build/release/rawbox run --bios "$bin" --debugcon stdio --timeout 20; then
        rc=0
    else
        rc=$?
    fi
    if [ $rc -eq 1 ]; then
        echo "== passed (exit status 1 from the test-exit port)"
    else
        echo "== exit status $rc"
        status=1
    fi
done
exit $status
