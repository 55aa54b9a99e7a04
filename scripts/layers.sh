#!/bin/bash
# The include graph of src/, as ../shared/DESIGN.md draws it: each folder
# may include its own headers and those of the folders listed for it here,
# nothing else. Every arrow points one way: devices (hw/) never see the CPU,
# the CPU never sees a device or the board, loaders (boot/) fill structs and
# touch only CPU types, and only the board (vm/) and the commands (cli/)
# see everything below them.
#
#   scripts/layers.sh [SRCDIR]     check SRCDIR (default src/)
#   scripts/layers.sh --self-test  show the check fails on a planted include
#
# Prints one line "FILE:LINE: FOLDER may not include HEADER" per violation
# and exits 1 if there is any; a folder under SRCDIR with no rule here is a
# violation too (a new folder needs its row). Exit 0 when the graph is clean.
set -uo pipefail

# folder -> what it may include besides itself: folder names, or single
# headers as folder/file.h.
declare -A allow=(
    [util]=""
    [mem]="util"
    [cpu]="mem util"
    [hw]="mem util block vm/clock.h ui/display.h"  # timers on the clock; disks; the VGA renders a display_frame
    [block]="util"                      # image formats: files only
    [boot]="cpu util"
    [raw]="cpu mem util jit"            # raw mode: another engine, with the recompiler for the rest
    [jit]="cpu mem util"                # the recompiler: another engine
    [ui]="util"
    [vm]="util mem cpu hw boot ui vm block"   # anything but cli
    [cli]="*"
)

check() {
    local root=$1 bad=0 dir folder file line hdr target ok a
    for dir in "$root"/*/; do
        folder=$(basename "$dir")
        if [ -z "${allow[$folder]+set}" ]; then
            echo "$dir: folder $folder has no rule in scripts/layers.sh"
            bad=1
            continue
        fi
        [ "${allow[$folder]}" = "*" ] && continue
        while IFS=: read -r file line hdr; do
            hdr=${hdr#*\"}
            hdr=${hdr%%\"*}
            target=${hdr%%/*}
            [ "$target" = "$hdr" ] && continue      # "x.h" beside the file
            ok=0
            [ "$target" = "$folder" ] && ok=1
            for a in ${allow[$folder]}; do
                [ "$a" = "$target" ] || [ "$a" = "$hdr" ] && ok=1
            done
            if [ $ok = 0 ]; then
                echo "$file:$line: $folder may not include $hdr"
                bad=1
            fi
        done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$dir" \
                     --include='*.c' --include='*.h' --include='*.def' | sort -t: -k1,1 -k2,2n)
    done
    return $bad
}

if [ "${1:-}" = --self-test ]; then
    cd "$(dirname "$0")/.."
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cp -r src "$tmp/src"
    if ! check "$tmp/src" >"$tmp/out"; then
        echo "self-test: the tree itself is not clean:"; cat "$tmp/out"; exit 1
    fi
    # Plant one include per kind of rule: a forbidden folder, a header of
    # an allowed-by-name folder other than the one named, and a new folder.
    printf '#include "vm/machine.h"\n' >>"$tmp/src/cpu/cpu.c"
    printf '#include "vm/loop.h"\n' >>"$tmp/src/hw/pit.c"
    mkdir "$tmp/src/newlayer"
    n=$(wc -l <"$tmp/src/cpu/cpu.c")
    m=$(wc -l <"$tmp/src/hw/pit.c")
    if check "$tmp/src" >"$tmp/out"; then
        echo "self-test: planted includes were not caught"; exit 1
    fi
    for want in "$tmp/src/cpu/cpu.c:$n: cpu may not include vm/machine.h" \
                "$tmp/src/hw/pit.c:$m: hw may not include vm/loop.h" \
                "folder newlayer has no rule"; do
        if ! grep -qF "$want" "$tmp/out"; then
            echo "self-test: expected \"$want\", got:"; cat "$tmp/out"; exit 1
        fi
    done
    echo "self-test: 3 planted violations caught"
    exit 0
fi

cd "$(dirname "$0")/.."
check "${1:-src}"
