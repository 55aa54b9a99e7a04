/* --disk FILE[,format=F][,if=ide|virtio][,readonly=on][,cache=MODE],
 * --cdrom FILE, -hda/-hdb/-hdc/-hdd FILE, -cdrom FILE,
 * -drive file=F[,format=F][,if=ide|virtio][,media=disk|cdrom][,index=N][,readonly=on][,cache=MODE],
 * --boot order=LETTERS[,menu=on|off] (QEMU's -boot; a bare "-boot d" too).
 * The values are checked here; the images are opened by the board, which
 * names the option in its errors. Strings handed to the config point into
 * argv or into copies that live as long as the process. */
#include "cli/drive.h"

#include <stdio.h>
#include <string.h>

#include "block/block.h"

static char why[160];

/* The value of `key=` in a comma list item, or NULL. */
static const char *item_value(const char *item, size_t len, const char *key)
{
    size_t k = strlen(key);
    if (len > k && strncmp(item, key, k) == 0 && item[k] == '=')
        return item + k + 1;
    return NULL;
}

static bool on_off(const char *v, size_t len, bool *out)
{
    if ((len == 2 && strncmp(v, "on", 2) == 0) || (len == 3 && strncmp(v, "yes", 3) == 0)) {
        *out = true;
        return true;
    }
    if ((len == 3 && strncmp(v, "off", 3) == 0) || (len == 2 && strncmp(v, "no", 2) == 0)) {
        *out = false;
        return true;
    }
    return false;
}

static struct machine_drive *new_drive(struct machine_config *cfg)
{
    if (cfg->ndrives >= MACHINE_MAX_DRIVES)
        return NULL;
    struct machine_drive *d = &cfg->drives[cfg->ndrives++];
    memset(d, 0, sizeof *d);
    d->index = -1;
    return d;
}

/* Copies of option pieces live in a static pool for the whole run (no
 * frees to track on error paths). NULL when it is full. */
static char *dup_n(const char *s, size_t n)
{
    static char pool[8192];
    static size_t used;
    if (n + 1 > sizeof pool - used)
        return NULL;
    char *p = pool + used;
    used += n + 1;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* The common part of --disk and -drive: FILE or file=FILE first, then
 * key=value items. */
static const char *parse_spec(struct machine_config *cfg, const char *opt, const char *spec,
                              bool qemu_drive)
{
    struct machine_drive d = { .opt = opt, .index = -1 };
    const char *p = spec;
    bool first = true, virtio = false;

    if (!*spec)
        return "expected a file name";
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *v;
        size_t vl;
        if (first && !qemu_drive && !item_value(p, len, "file")) {
            if (!(d.file = dup_n(p, len)))
                return "options too long";
        } else if ((v = item_value(p, len, "file"))) {
            if (!(d.file = dup_n(v, len - 5)))
                return "options too long";
        } else if ((v = item_value(p, len, "format"))) {
            char *f = dup_n(v, len - 7);
            if (!f)
                return "options too long";
            if (!block_format_find(f)) {
                snprintf(why, sizeof why, "unknown format '%s' (raw, qcow2, vdi)", f);
                return why;
            }
            d.format = f;
        } else if ((v = item_value(p, len, "if"))) {
            vl = len - 3;
            if (vl == 6 && strncmp(v, "virtio", 6) == 0) {
                virtio = true;
            } else if (!(vl == 3 && strncmp(v, "ide", 3) == 0)) {
                snprintf(why, sizeof why, "unknown interface '%.*s' (ide or virtio)", (int)vl, v);
                return why;
            }
        } else if ((v = item_value(p, len, "readonly"))) {
            if (!on_off(v, len - 9, &d.readonly))
                return "readonly= takes on or off";
        } else if ((v = item_value(p, len, "cache"))) {
            d.cache = block_cache_flags(v, len - 6);
            if (d.cache < 0)
                return "cache= takes writeback, writethrough, none, unsafe or directsync";
        } else if (qemu_drive && (v = item_value(p, len, "media"))) {
            vl = len - 6;
            if (vl == 5 && strncmp(v, "cdrom", 5) == 0)
                d.cdrom = true;
            else if (!(vl == 4 && strncmp(v, "disk", 4) == 0))
                return "media= takes disk or cdrom";
        } else if (qemu_drive && (v = item_value(p, len, "index"))) {
            if (len - 6 != 1 || v[0] < '0' || v[0] > '3')
                return "index= takes 0 to 3 (primary master, slave, secondary master, slave)";
            d.index = v[0] - '0';
        } else if (qemu_drive && (v = item_value(p, len, "id"))) {
            /* accepted and unused, as QEMU users write it */
        } else {
            snprintf(why, sizeof why, "unknown item '%.*s'", (int)len, p);
            return why;
        }
        first = false;
        p += len + (comma ? 1 : 0);
    }
    if (!d.file && !d.cdrom)
        return "expected a file (file=FILE)";
    if (d.file && !*d.file)
        return "empty file name";
    if (virtio) {
        /* A virtio-blk PCI disk (as --virtio-disk): no IDE position. */
        if (d.cdrom || d.index >= 0)
            return "if=virtio takes neither media=cdrom nor index=";
        int n = cfg->nvirtio_disks;
        if (n >= MACHINE_MAX_VIRTIO_DISKS)
            return "too many virtio disks (4)";
        cfg->virtio_disks[n].path = (char *)d.file;
        cfg->virtio_disks[n].format = (char *)d.format;
        cfg->virtio_disks[n].readonly = d.readonly;
        cfg->virtio_disks[n].cache = d.cache;
        cfg->nvirtio_disks = n + 1;
        return NULL;
    }
    struct machine_drive *slot = new_drive(cfg);
    if (!slot)
        return "too many drives (4 IDE positions)";
    *slot = d;
    return NULL;
}

const char *cli_disk_add(struct machine_config *cfg, const char *opt, const char *spec)
{
    return parse_spec(cfg, opt, spec, false);
}

const char *cli_drive_add(struct machine_config *cfg, const char *spec)
{
    return parse_spec(cfg, "-drive", spec, true);
}

const char *cli_cdrom_add(struct machine_config *cfg, const char *opt, const char *file,
                          int index)
{
    if (!*file)
        return "expected a file name";
    struct machine_drive *d = new_drive(cfg);
    if (!d)
        return "too many drives (4 IDE positions)";
    d->opt = opt;
    d->file = file;
    d->cdrom = true;
    d->readonly = true;
    d->index = index;
    return NULL;
}

const char *cli_hd_add(struct machine_config *cfg, const char *opt, const char *file, int index)
{
    if (!*file)
        return "expected a file name";
    struct machine_drive *d = new_drive(cfg);
    if (!d)
        return "too many drives (4 IDE positions)";
    d->opt = opt;
    d->file = file;
    d->index = index;
    return NULL;
}

static const char *set_order(struct machine_config *cfg, const char *v, size_t len)
{
    if (len == 0 || len > 8)
        return "order= takes 1 to 8 of the letters a, c, d, n";
    for (size_t i = 0; i < len; i++)
        if (!strchr("acdn", v[i]) || !v[i])
            return "order= takes the letters a (floppy), c (disk), d (CD-ROM), n (network)";
    cfg->boot_order = dup_n(v, len);
    return cfg->boot_order ? NULL : "options too long";
}

const char *cli_boot_set(struct machine_config *cfg, const char *spec)
{
    const char *p = spec;
    if (!strchr(spec, '='))
        return set_order(cfg, spec, strlen(spec));     /* -boot d */
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *v, *bad;
        if ((v = item_value(p, len, "order")) || (v = item_value(p, len, "once"))) {
            size_t vl = len - (size_t)(v - p);
            if ((bad = set_order(cfg, v, vl)))
                return bad;
        } else if ((v = item_value(p, len, "menu"))) {
            if (!on_off(v, len - 5, &cfg->boot_menu))
                return "menu= takes on or off";
        } else if ((v = item_value(p, len, "splash-time")) || (v = item_value(p, len, "strict"))) {
            /* accepted, no effect */
        } else {
            snprintf(why, sizeof why, "unknown item '%.*s' (order=, menu=)", (int)len, p);
            return why;
        }
        p += len + (comma ? 1 : 0);
    }
    return NULL;
}
