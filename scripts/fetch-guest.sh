#!/bin/sh
# Build rawbox's demo guests: a Debian 12 stock kernel and a busybox
# initramfs, both taken from Debian's own packages of the guest's
# architecture (i386 or amd64).
#
#   scripts/fetch-guest.sh            build (or reuse) the guest, print its paths
#   scripts/fetch-guest.sh --force    rebuild from scratch
#
# Output (nothing goes into the source tree):
#   ${RAWBOX_CACHE:-$HOME/.cache/rawbox}/guest/debian12-i386/bzImage
#   ${RAWBOX_CACHE:-$HOME/.cache/rawbox}/guest/debian12-i386/initrd.gz
#   (guest/debian12-amd64/ for RAWBOX_GUEST_FLAVOUR=amd64)
# RAWBOX_GUEST_FLAVOUR picks the kernel: 686 (the default, linux-image-686,
# non-PAE 2-level paging) or 686-pae (linux-image-686-pae: PAE paging,
# 3-level tables), which goes to its own directory, guest/debian12-i386-pae/.
# The 686-pae guest reuses the default guest's initramfs when that is
# cached (same recipe), so only its kernel package is downloaded.
# RAWBOX_GUEST_FLAVOUR=amd64 builds the 64-bit guest from Debian's amd64
# packages (linux-image-amd64, busybox-static) into guest/debian12-amd64/.
# RAWBOX_GUEST_FLAVOUR=memtest fetches Debian's memtest86+ package instead
# and keeps its 32-bit image (a Linux boot-protocol bzImage) as
# guest/memtest86+/memtest86+ia32.bin; INITRD is then empty.
# The last two lines on stdout are "KERNEL=<path>" and "INITRD=<path>", so
# callers can `eval "$(scripts/fetch-guest.sh | tail -n 2)"`.
#
# How the guest packages are fetched with no manual step: apt runs with a
# private state and cache directory, a copy of the host's sources and
# APT::Architecture=i386 (or amd64), so `apt-get update` reads that package list
# and `apt-get download` fetches the .debs without touching the host's
# dpkg architectures or package state. The kernel (linux-image-686, whose
# 8250 serial driver, initrd and gzip support are built in: see the
# config check below) and busybox-static are unpacked with dpkg-deb -x;
# the initramfs is a gzip'd cpio (newc) archive.
#
# Needs: apt-get, dpkg-deb, cpio, gzip (scripts/deps.sh demo installs them).
set -eu

BUSYBOX_PKG=busybox-static
RECIPE=5    # bump when the initramfs contents change, to rebuild caches

CACHE=${RAWBOX_CACHE:-${HOME:-/root}/.cache/rawbox}
ARCH=i386
# Per flavour: kernel metapackage, output directory, and the scratch
# directories (separate, so two flavours can be built at once).
DEFAULT_OUT=$CACHE/guest/debian12-i386
FLAVOUR=${RAWBOX_GUEST_FLAVOUR:-686}
case "$FLAVOUR" in
686)
    KERNEL_PKG=${RAWBOX_GUEST_KERNEL_PKG:-linux-image-686}
    OUT=$DEFAULT_OUT
    WORK=$CACHE/guest/work
    DEBS=$CACHE/apt-i386/debs
    DLLOG=$CACHE/apt-i386/download.log ;;
686-pae)
    KERNEL_PKG=${RAWBOX_GUEST_KERNEL_PKG:-linux-image-686-pae}
    OUT=$CACHE/guest/debian12-i386-pae
    WORK=$CACHE/guest/work-pae
    DEBS=$CACHE/apt-i386/debs-pae
    DLLOG=$CACHE/apt-i386/download-pae.log ;;
amd64)
    ARCH=amd64
    KERNEL_PKG=${RAWBOX_GUEST_KERNEL_PKG:-linux-image-amd64}
    OUT=$CACHE/guest/debian12-amd64
    WORK=$CACHE/guest/work-amd64
    DEBS=$CACHE/apt-amd64/debs
    DLLOG=$CACHE/apt-amd64/download.log ;;
memtest)
    KERNEL_PKG=memtest86+
    OUT=$CACHE/guest/memtest86+
    WORK=$CACHE/guest/work-memtest
    DEBS=$CACHE/apt-i386/debs-memtest
    DLLOG=$CACHE/apt-i386/download-memtest.log ;;
*)
    echo "fetch-guest: error: RAWBOX_GUEST_FLAVOUR='$FLAVOUR' is not 686, 686-pae, amd64 or memtest" >&2
    exit 2 ;;
esac
# Each guest architecture has its own private apt state (package lists).
APTDIR=$CACHE/apt-$ARCH

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
-h|--help) sed -n '2,28p' "$0"; exit 0 ;;
*) echo "fetch-guest.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

say() { echo "fetch-guest: $*" >&2; }
die() { echo "fetch-guest: error: $*" >&2; exit 1; }

MEMTEST_IMG=memtest86+ia32.bin
if [ $force = 0 ] && [ "$FLAVOUR" = memtest ] && [ -s "$OUT/$MEMTEST_IMG" ]; then
    say "using cached $OUT/$MEMTEST_IMG ($(cat "$OUT/version" 2>/dev/null))"
    echo "KERNEL=$OUT/$MEMTEST_IMG"
    echo "INITRD="
    exit 0
fi
if [ $force = 0 ] && [ -s "$OUT/bzImage" ] && [ -s "$OUT/initrd.gz" ] &&
   [ "$(cat "$OUT/recipe" 2>/dev/null)" = "$RECIPE" ]; then
    say "using cached guest in $OUT ($(cat "$OUT/kernel-version" 2>/dev/null))"
    echo "KERNEL=$OUT/bzImage"
    echo "INITRD=$OUT/initrd.gz"
    exit 0
fi

for tool in apt-get apt-cache dpkg-deb cpio gzip; do
    command -v $tool >/dev/null 2>&1 || die "'$tool' is not installed (run: scripts/deps.sh demo)"
done

# ---- private apt configuration for $ARCH ----
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/etc/sources.list.d" \
         "$APTDIR/etc/preferences.d" "$DEBS"
: > "$APTDIR/status"
: > "$APTDIR/etc/sources.list"
found_sources=0
if [ -f /etc/apt/sources.list ]; then
    grep -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list > "$APTDIR/etc/sources.list" || true
    [ -s "$APTDIR/etc/sources.list" ] && found_sources=1
fi
rm -f "$APTDIR/etc/sources.list.d/"*
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    cp "$f" "$APTDIR/etc/sources.list.d/"
    found_sources=1
done
[ $found_sources = 1 ] || die "no apt sources found in /etc/apt"

apt_guest() {
    "$@" -o Dir::State="$APTDIR" -o Dir::State::Lists="$APTDIR/lists" \
        -o Dir::State::status="$APTDIR/status" -o Dir::Cache="$APTDIR" \
        -o Dir::Cache::archives="$APTDIR/archives" \
        -o Dir::Etc::sourcelist="$APTDIR/etc/sources.list" \
        -o Dir::Etc::sourceparts="$APTDIR/etc/sources.list.d" \
        -o Dir::Etc::preferencesparts="$APTDIR/etc/preferences.d" \
        -o APT::Architecture="$ARCH" -o APT::Architectures::="$ARCH" \
        -o APT::Sandbox::User=root -o Debug::NoLocking=1
}

# download_with_progress PKG...: apt-get download into $DEBS (log in
# $DLLOG) with a progress line on stderr: rewritten in place on a
# terminal, one line every 10 s otherwise (CI logs). The total comes from
# the package lists' Size fields; what has arrived, from the bytes in
# $DEBS (apt-get download writes there as it goes).
download_with_progress() {
    local total=0 size pkg
    for pkg in "$@"; do
        size=$(apt_guest apt-cache show --no-all-versions "$pkg" 2>/dev/null |
               sed -n 's/^Size: \([0-9]*\)$/\1/p' | head -n 1)
        total=$((total + ${size:-0}))
    done
    (cd "$DEBS" && apt_guest apt-get -q download "$@") >"$DLLOG" 2>&1 &
    local pid=$! tty=0 last=0 now got pct
    [ -t 2 ] && tty=1
    while kill -0 $pid 2>/dev/null; do
        sleep 0.5
        now=$(date +%s)
        got=$(du -sb "$DEBS" 2>/dev/null | cut -f1)
        got=${got:-0}
        pct=
        [ "$total" -gt 0 ] && pct=" ($((got * 100 / total))%)"
        if [ $tty = 1 ]; then
            printf '\rfetch-guest: downloading %s MiB of %s MiB%s   ' \
                "$((got >> 20))" "$((total >> 20))" "$pct" >&2
        elif [ $((now - last)) -ge 10 ]; then
            say "downloading: $((got >> 20)) MiB of $((total >> 20)) MiB$pct"
            last=$now
        fi
    done
    [ $tty = 1 ] && printf '\r\033[K' >&2
    wait $pid
}

say "reading the $ARCH package lists"
# A list that fails to download (a mirror mid-sync) is not fatal as long as
# the packages we need are found below.
apt_guest apt-get -q update >"$APTDIR/update.log" 2>&1 ||
    say "apt-get update reported errors (see $APTDIR/update.log); continuing"

if [ "$FLAVOUR" = memtest ]; then
    rm -rf "$DEBS" "$WORK"
    mkdir -p "$DEBS" "$WORK" "$OUT"
    download_with_progress "$KERNEL_PKG" || die "apt-get download $KERNEL_PKG failed (see $DLLOG)"
    deb=$(ls "$DEBS/"*.deb | head -n 1)
    dpkg-deb -x "$deb" "$WORK"
    [ -s "$WORK/boot/$MEMTEST_IMG" ] || die "$deb has no boot/$MEMTEST_IMG"
    cp "$WORK/boot/$MEMTEST_IMG" "$OUT/$MEMTEST_IMG.tmp"
    mv "$OUT/$MEMTEST_IMG.tmp" "$OUT/$MEMTEST_IMG"
    basename "$deb" > "$OUT/version"
    rm -rf "$WORK"
    say "memtest86+ from $(cat "$OUT/version") in $OUT"
    echo "KERNEL=$OUT/$MEMTEST_IMG"
    echo "INITRD="
    exit 0
fi

# The kernel metapackage depends on the current ABI's image package.
kernel_img=$(apt_guest apt-cache depends "$KERNEL_PKG" 2>/dev/null |
             sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
[ -n "$kernel_img" ] || die "cannot resolve $KERNEL_PKG to a kernel image package (see $APTDIR/update.log)"
# Another flavour's guest shares the default guest's initramfs when that
# is cached and current: then only the kernel is downloaded.
reuse_initrd=
if [ "$ARCH" = i386 ] && [ "$OUT" != "$DEFAULT_OUT" ] && [ -s "$DEFAULT_OUT/initrd.gz" ] &&
   [ "$(cat "$DEFAULT_OUT/recipe" 2>/dev/null)" = "$RECIPE" ]; then
    reuse_initrd=$DEFAULT_OUT/initrd.gz
    say "kernel package: $kernel_img; initramfs from $DEFAULT_OUT"
    pkgs=$kernel_img
else
    say "kernel package: $kernel_img; userland: $BUSYBOX_PKG"
    pkgs="$kernel_img $BUSYBOX_PKG"
fi

rm -f "$DEBS/"*.deb
# shellcheck disable=SC2086  # $pkgs is a list of package names
download_with_progress $pkgs || die "apt-get download failed (see $DLLOG)"

# ---- unpack ----
rm -rf "$WORK"
mkdir -p "$WORK/pkg" "$WORK/root"
for deb in "$DEBS/"*.deb; do
    dpkg-deb -x "$deb" "$WORK/pkg"
done
vmlinuz=$(ls "$WORK/pkg/boot/"vmlinuz-* 2>/dev/null | head -n 1)
config=$(ls "$WORK/pkg/boot/"config-* 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] && [ -n "$config" ] || die "no /boot/vmlinuz-* in $kernel_img"
[ -n "$reuse_initrd" ] || [ -x "$WORK/pkg/bin/busybox" ] || die "no /bin/busybox in $BUSYBOX_PKG"
kver=${vmlinuz##*/vmlinuz-}

# Everything the guest needs must be built in: there is no module loading
# in this initramfs. Check rather than hope.
for opt in CONFIG_SERIAL_8250 CONFIG_SERIAL_8250_CONSOLE CONFIG_BLK_DEV_INITRD \
           CONFIG_RD_GZIP CONFIG_DEVTMPFS CONFIG_PROC_FS CONFIG_SYSFS CONFIG_BINFMT_ELF \
           CONFIG_BINFMT_SCRIPT CONFIG_UNIX CONFIG_TTY; do
    grep -q "^$opt=y\$" "$config" || die "$kver: $opt is not built in; the initramfs would need its module"
done

# ---- initramfs ----
R=$WORK/root
if [ -z "$reuse_initrd" ]; then
    mkdir -p "$R/bin" "$R/sbin" "$R/usr/bin" "$R/usr/sbin" "$R/etc" "$R/proc" "$R/sys" \
             "$R/dev" "$R/tmp" "$R/root" "$R/run"
    cp "$WORK/pkg/bin/busybox" "$R/bin/busybox"
    # Applet links made here (not at boot) so the guest starts faster.
    for applet in $("$WORK/pkg/bin/busybox" --list-full 2>/dev/null || true); do
        [ -e "$R/$applet" ] || [ -L "$R/$applet" ] || ln -s /bin/busybox "$R/$applet"
    done
    # If the host cannot run i386 binaries, the list above is empty: fall back
    # to links made by /init at boot.
    [ -L "$R/bin/sh" ] || ln -s busybox "$R/bin/sh"

    cat > "$R/init" <<'EOF'
#!/bin/sh
# rawbox demo guest: PID 1 sets up the basics, then busybox init runs the
# console shell (and handles poweroff/reboot).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
[ -e /bin/mount ] || /bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
hostname rawbox
echo
echo "rawbox demo guest: Debian 12 $(uname -r) $(uname -m), busybox userland"
echo "Type 'poweroff' to end the VM."
exec /sbin/init
EOF
    chmod 755 "$R/init"

    cat > "$R/etc/inittab" <<'EOF'
# busybox init: one job-control shell on the kernel console (cttyhack
# finds the real tty behind /dev/console, e.g. ttyS0).
::respawn:/bin/cttyhack /bin/sh -l
EOF
    cat > "$R/etc/profile" <<'EOF'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
export PS1='\u@\h:\w\$ '
cd /root
EOF
    echo 'root:x:0:0:root:/root:/bin/sh' > "$R/etc/passwd"
    echo 'root:x:0:' > "$R/etc/group"

    # The virtio PCI disk driver stack, modules in Debian's kernels
    # (CONFIG_VIRTIO_BLK=m ...): copied flat into /lib/modules/virtio/ for
    # tests/boot/virtio_blk.sh, which insmods them in the order of
    # /lib/modules/virtio/order (dependencies first). Options built in
    # (=y) need no file; other kernels than this one (686-pae reusing
    # this initramfs) cannot load them.
    mkdir -p "$R/lib/modules/virtio"
    : > "$R/lib/modules/virtio/order"
    for mod in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
        ko=$(find "$WORK/pkg/lib/modules/$kver" -name "$mod.ko" 2>/dev/null | head -n 1)
        if [ -n "$ko" ]; then
            cp "$ko" "$R/lib/modules/virtio/$mod.ko"
            echo "$mod" >> "$R/lib/modules/virtio/order"
        fi
    done
fi

mkdir -p "$OUT"
rm -f "$OUT/kallsyms.txt"     # scripts/guest-syms.sh's table, for the old kernel
if [ -n "$reuse_initrd" ]; then
    cp "$reuse_initrd" "$OUT/initrd.gz.tmp"
else
    (cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 > "$OUT/initrd.gz.tmp"
fi
cp "$vmlinuz" "$OUT/bzImage.tmp"
cp "$config" "$OUT/config"
mv "$OUT/initrd.gz.tmp" "$OUT/initrd.gz"
mv "$OUT/bzImage.tmp" "$OUT/bzImage"
echo "$kver ($kernel_img, $(ls "$DEBS" | tr '\n' ' '))" > "$OUT/kernel-version"
echo "$RECIPE" > "$OUT/recipe"
rm -rf "$WORK" "$DEBS"   # keep the package lists, drop the 53 MB of .debs
say "built guest $kver in $OUT"
echo "KERNEL=$OUT/bzImage"
echo "INITRD=$OUT/initrd.gz"
