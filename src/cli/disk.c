/* `rawbox disk`: create, inspect, convert, check and resize disk images,
 * in the spirit of qemu-img, through src/block/block.h only.
 *
 * Errors are one line, "rawbox disk: WHAT: WHY" (WHAT is the file or the
 * option at fault). Exit status: 0 ok, 2 for a bad option, argument or
 * file that cannot be opened or created, 1 when the work itself fails.
 * `check` follows qemu-img check instead: 0 clean, 1 the check could not
 * be done, 2 corruptions, 3 leaks only, 63 the format has no check. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "block/block.h"
#include "cli/cli.h"

#define DISK_EXIT_FAIL 1
#define CHECK_EXIT_CORRUPT 2
#define CHECK_EXIT_LEAKS 3
#define CHECK_EXIT_UNSUPPORTED 63
#define CONVERT_CHUNK (1u << 20)

static const char *const format_names[] = { "raw", "qcow2", "vdi" };

__attribute__((format(printf, 3, 4)))
static int fail(int status, const char *what, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "rawbox disk: %s: ", what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

/* The block layer's messages name the file already; add it if not. */
static int fail_block(int status, const char *path, const char *err)
{
    size_t n = strlen(path);
    if (strncmp(err, path, n) == 0 && err[n] == ':')
        fprintf(stderr, "rawbox disk: %s\n", err);
    else
        fprintf(stderr, "rawbox disk: %s: %s\n", path, err[0] ? err : "failed");
    return status;
}

/* "1 GiB", "1.5 GiB", "2.44 MiB", "512 B". */
static const char *human_size(char *out, size_t len, uint64_t v)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    unsigned u = 0;
    double d = (double)v;

    while (d >= 1024 && u < 6) {
        d /= 1024;
        u++;
    }
    if (u == 0 || d == (double)(uint64_t)d) {
        snprintf(out, len, "%.0f %s", d, units[u]);
        return out;
    }
    snprintf(out, len, d >= 100 ? "%.0f" : d >= 10 ? "%.1f" : "%.2f", d);
    char *end = out + strlen(out);
    while (end[-1] == '0')
        *--end = 0;
    if (end[-1] == '.')
        *--end = 0;
    snprintf(end, len - (size_t)(end - out), " %s", units[u]);
    return out;
}

static void list_formats(char *out, size_t len)
{
    out[0] = 0;
    for (unsigned i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (block_format_find(format_names[i]))
            snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? ", " : "", format_names[i]);
}

/* The driver for -f/-O, or NULL after printing why. */
static const struct block_format *find_format(const char *name)
{
    const struct block_format *f = block_format_find(name);
    char known[64];
    if (!f) {
        list_formats(known, sizeof known);
        fail(CLI_EXIT_USAGE, name, "unknown format (known: %s)", known);
    }
    return f;
}

/* .qcow2 -> qcow2, .vdi -> vdi, anything else raw. */
static const char *format_from_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (strcasecmp(dot, ".qcow2") == 0)
            return "qcow2";
        if (strcasecmp(dot, ".vdi") == 0)
            return "vdi";
    }
    return "raw";
}

/* SIZE for create and resize: a block_parse_size string, whole sectors. */
static int parse_disk_size(const char *s, uint64_t *out)
{
    if (block_parse_size(s, out) < 0)
        return fail(CLI_EXIT_USAGE, s, "not a size (examples: 20G, 512M, 1.5T, 65536)");
    if (*out % BLOCK_SECTOR)
        return fail(CLI_EXIT_USAGE, s, "not a multiple of 512 bytes");
    return 0;
}

/* ---- option parsing shared by the subcommands ---- */

struct disk_opts {
    const char *format;         /* -f */
    const char *out_format;     /* -O */
    const char *backing;        /* -b */
    const char *backing_fmt;    /* -F */
    struct block_create_opts create;
    bool have_o;                /* -o given */
    bool fixed, force, progress, repair, json, shrink, help;
};

enum { OPT_FIXED = 256, OPT_FORCE, OPT_JSON, OPT_SHRINK };

static const struct option long_opts[] = {
    { "fixed", no_argument, NULL, OPT_FIXED },
    { "force", no_argument, NULL, OPT_FORCE },
    { "json", no_argument, NULL, OPT_JSON },
    { "shrink", no_argument, NULL, OPT_SHRINK },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* -o cluster_size=64K,compat=0.10|1.1 (qcow2). */
static int parse_create_options(struct disk_opts *o, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    int r = 0;

    if (!copy)
        return fail(DISK_EXIT_FAIL, "-o", "out of memory");
    for (char *item = strtok_r(copy, ",", &save); item && r == 0; item = strtok_r(NULL, ",", &save)) {
        char *val = strchr(item, '=');
        uint64_t n;
        if (val)
            *val++ = 0;
        if (!val || !*val) {
            r = fail(CLI_EXIT_USAGE, "-o", "%s: expected KEY=VALUE", item);
        } else if (strcmp(item, "cluster_size") == 0) {
            if (block_parse_size(val, &n) < 0 || n < 512 || n > (2u << 20) || (n & (n - 1)))
                r = fail(CLI_EXIT_USAGE, "-o", "cluster_size=%s: expected a power of two from 512 to 2M", val);
            else
                o->create.cluster_size = (uint32_t)n;
        } else if (strcmp(item, "compat") == 0) {
            if (strcmp(val, "0.10") == 0)
                o->create.compat = 2;
            else if (strcmp(val, "1.1") == 0)
                o->create.compat = 3;
            else
                r = fail(CLI_EXIT_USAGE, "-o", "compat=%s: expected 0.10 or 1.1", val);
        } else {
            r = fail(CLI_EXIT_USAGE, "-o", "%s: unknown option (cluster_size, compat)", item);
        }
    }
    free(copy);
    o->have_o = true;
    return r;
}

/* getopt over argv (argv[0] = the subcommand). `shortopts` lists what the
 * subcommand takes; long options not meant for it are refused after. */
static int parse_opts(struct disk_opts *o, int argc, char **argv, const char *shortopts,
                      const char *longs)
{
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, shortopts, long_opts, NULL)) != -1) {
        char shown[32];
        if (c >= 256) {
            snprintf(shown, sizeof shown, "--%s", long_opts[c - 256].name);
            if (!strstr(longs, long_opts[c - 256].name))
                return fail(CLI_EXIT_USAGE, shown, "unknown option (see rawbox disk %s --help)", argv[0]);
        }
        switch (c) {
        case 'f': o->format = optarg; break;
        case 'O': o->out_format = optarg; break;
        case 'b': o->backing = optarg; break;
        case 'F': o->backing_fmt = optarg; break;
        case 'o':
            if (parse_create_options(o, optarg))
                return CLI_EXIT_USAGE;
            break;
        case 'p': o->progress = true; break;
        case 'r': o->repair = true; break;
        case 'h': o->help = true; break;
        case OPT_FIXED: o->fixed = true; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_JSON: o->json = true; break;
        case OPT_SHRINK: o->shrink = true; break;
        case ':':
            return fail(CLI_EXIT_USAGE, argv[optind - 1], "missing value");
        default:
            if (optopt)
                snprintf(shown, sizeof shown, "-%c", optopt);
            else
                snprintf(shown, sizeof shown, "%s", argv[optind - 1]);
            return fail(CLI_EXIT_USAGE, shown, "unknown option (see rawbox disk %s --help)", argv[0]);
        }
    }
    return 0;
}

/* Exactly `min` to `max` positional arguments left. */
static int want_args(int argc, char **argv, int min, int max, const char *usage)
{
    int n = argc - optind;
    if (n < min)
        return fail(CLI_EXIT_USAGE, argv[0], "missing argument (usage: rawbox disk %s)", usage);
    if (n > max)
        return fail(CLI_EXIT_USAGE, argv[optind + max], "unexpected argument (usage: rawbox disk %s)", usage);
    return 0;
}

/* Without --force an existing FILE is refused; with it, block_create_file
 * still refuses an image a VM has locked. */
static int check_overwrite(const char *path, bool force)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return errno == ENOENT ? 0 : fail(CLI_EXIT_USAGE, path, "%s", strerror(errno));
    if (!force)
        return fail(CLI_EXIT_USAGE, path, "already exists (--force overwrites it)");
    if (!S_ISREG(st.st_mode))
        return fail(CLI_EXIT_USAGE, path, "not a regular file");
    return 0;
}

/* The format's checks on the create options, before anything is written. */
static int check_create_opts(const struct disk_opts *o, const char *fmt)
{
    bool qcow2 = strcmp(fmt, "qcow2") == 0;
    if (o->backing && !qcow2)
        return fail(CLI_EXIT_USAGE, "-b", "only qcow2 images have a backing file");
    if (o->backing_fmt && !o->backing)
        return fail(CLI_EXIT_USAGE, "-F", "needs -b");
    if (o->have_o && !qcow2)
        return fail(CLI_EXIT_USAGE, "-o", "cluster_size and compat are qcow2 options");
    if (o->fixed && strcmp(fmt, "vdi") != 0)
        return fail(CLI_EXIT_USAGE, "--fixed", "only vdi images can be fixed (preallocated)");
    return 0;
}

static int create_image(const char *path, const char *fmt, struct block_create_opts *c, bool existed)
{
    char err[BLOCK_ERR_LEN] = "";
    const struct block_format *f = block_format_find(fmt);

    if (!f->create)
        return fail(DISK_EXIT_FAIL, path, "the %s format cannot create images", fmt);
    if (block_create(path, fmt, c, err, sizeof err) < 0) {
        if (!existed)
            unlink(path);
        return fail_block(CLI_EXIT_USAGE, path, err);
    }
    return 0;
}

/* ---- create ---- */

static void create_usage(FILE *f)
{
    fprintf(f, "usage: rawbox disk create [options] FILE SIZE\n\n"
               "Create a disk image of SIZE bytes (20G, 512M, 1.5T; a plain number is bytes).\n\n"
               "options:\n"
               "  -f FORMAT          raw, qcow2 or vdi (default from FILE: .qcow2, .vdi, else raw)\n"
               "  -o OPTIONS         qcow2: cluster_size=SIZE,compat=0.10|1.1 (default 64K, 1.1)\n"
               "  -b BACKING         qcow2: a backing image (SIZE may be left out: the backing's)\n"
               "  -F FORMAT          the backing image's format (default: probed)\n"
               "  --fixed            vdi: preallocate every block (a fixed image)\n"
               "  --force            overwrite FILE when it exists (not while a VM uses it)\n"
               "  -h, --help         show this help\n\n"
               "example:\n  rawbox disk create disk.qcow2 20G\n");
}

static int disk_create(int argc, char **argv)
{
    struct disk_opts o = { 0 };
    const char *path, *fmt;
    char hs[32];
    struct stat st;
    int r;

    if ((r = parse_opts(&o, argc, argv, ":f:o:b:F:h", "fixed force")))
        return r;
    if (o.help) {
        create_usage(stdout);
        return 0;
    }
    if ((r = want_args(argc, argv, o.backing ? 1 : 2, 2, "create [options] FILE SIZE")))
        return r;
    path = argv[optind];
    fmt = o.format ? o.format : format_from_name(path);
    if (!find_format(fmt))
        return CLI_EXIT_USAGE;
    if ((r = check_create_opts(&o, fmt)))
        return r;
    /* Without SIZE (only with -b) the size is 0: qcow2 takes the backing's. */
    if (optind + 1 < argc && (r = parse_disk_size(argv[optind + 1], &o.create.size)))
        return r;
    bool existed = stat(path, &st) == 0;
    if ((r = check_overwrite(path, o.force)))
        return r;
    o.create.backing = o.backing;
    o.create.backing_fmt = o.backing_fmt;
    o.create.fixed = o.fixed;
    if ((r = create_image(path, fmt, &o.create, existed)))
        return r;
    if (optind + 1 < argc)
        printf("created %s: %s, %s (%" PRIu64 " bytes)\n", path, fmt,
               human_size(hs, sizeof hs, o.create.size), o.create.size);
    else
        printf("created %s: %s, the size of %s\n", path, fmt, o.backing);
    return 0;
}

/* ---- info ---- */

static void info_usage(FILE *f)
{
    fprintf(f, "usage: rawbox disk info [options] FILE\n\n"
               "Show an image's format, virtual size, space used on the host and the\n"
               "format's own details. Works on images in use by a VM (no lock taken).\n\n"
               "options:\n"
               "  -f FORMAT          the image's format (default: probed)\n"
               "  --json             print one JSON object instead\n"
               "  -h, --help         show this help\n");
}

static void json_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* The driver's "key: value" lines as JSON members, keys with '-' for ' '. */
static void json_driver_lines(FILE *out, const char *text)
{
    bool first = true;
    fprintf(out, "{");
    while (*text) {
        const char *eol = strchr(text, '\n');
        size_t len = eol ? (size_t)(eol - text) : strlen(text);
        const char *colon = memchr(text, ':', len);
        if (colon && colon + 1 < text + len) {
            char key[64];
            size_t klen = (size_t)(colon - text) < sizeof key - 1 ? (size_t)(colon - text) : sizeof key - 1;
            for (size_t i = 0; i < klen; i++)
                key[i] = text[i] == ' ' ? '-' : text[i];
            const char *val = colon + 1 + (colon[1] == ' ');
            fprintf(out, "%s", first ? "" : ", ");
            json_string(out, key, klen);
            fprintf(out, ": ");
            json_string(out, val, (size_t)(text + len - val));
            first = false;
        }
        text += len + (eol != NULL);
    }
    fprintf(out, "}");
}

static int disk_info(int argc, char **argv)
{
    struct disk_opts o = { 0 };
    char err[BLOCK_ERR_LEN], vs[32], ds[32];
    char *lines = NULL;
    size_t lines_len = 0;
    struct stat st;
    int r;

    if ((r = parse_opts(&o, argc, argv, ":f:h", "json")))
        return r;
    if (o.help) {
        info_usage(stdout);
        return 0;
    }
    if ((r = want_args(argc, argv, 1, 1, "info [options] FILE")))
        return r;
    const char *path = argv[optind];
    if (o.format && !find_format(o.format))
        return CLI_EXIT_USAGE;
    struct block *b = block_open(path, o.format, BLOCK_RDONLY | BLOCK_NOLOCK, err, sizeof err);
    if (!b)
        return fail_block(CLI_EXIT_USAGE, path, err);
    uint64_t used = fstat(b->fd, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
    FILE *mem = open_memstream(&lines, &lines_len);
    if (mem) {
        if (b->fmt->info)
            b->fmt->info(b, mem);
        fclose(mem);
    }
    if (o.json) {
        printf("{\"filename\": ");
        json_string(stdout, path, strlen(path));
        printf(", \"format\": \"%s\", \"virtual-size\": %" PRIu64 ", \"actual-size\": %" PRIu64
               ", \"format-specific\": ", b->fmt->name, b->size, used);
        json_driver_lines(stdout, lines ? lines : "");
        printf("}\n");
    } else {
        printf("image: %s\nfile format: %s\nvirtual size: %s (%" PRIu64 " bytes)\ndisk size: %s\n",
               path, b->fmt->name, human_size(vs, sizeof vs, b->size), b->size,
               human_size(ds, sizeof ds, used));
        fputs(lines ? lines : "", stdout);
    }
    free(lines);
    block_close(b);
    return 0;
}

/* ---- convert ---- */

static void convert_usage(FILE *f)
{
    fprintf(f, "usage: rawbox disk convert [options] -O FORMAT SRC DST\n\n"
               "Copy SRC's disk contents into a new image DST (a qcow2 source is read through\n"
               "its backing files). Zero areas are left unallocated in DST.\n\n"
               "options:\n"
               "  -f FORMAT          SRC's format (default: probed)\n"
               "  -O FORMAT          DST's format: raw, qcow2 or vdi\n"
               "  -o OPTIONS         qcow2 DST: cluster_size=SIZE,compat=0.10|1.1\n"
               "  --fixed            vdi DST: a fixed (preallocated) image\n"
               "  -p                 show progress (also automatic on a terminal after 1 s)\n"
               "  --force            overwrite DST when it exists\n"
               "  -h, --help         show this help\n\n"
               "example:\n  rawbox disk convert -O qcow2 disk.vdi disk.qcow2\n");
}

static volatile sig_atomic_t convert_stop;

static void on_convert_signal(int sig)
{
    convert_stop = sig;
}

struct progress {
    bool forced, tty, shown;
    struct timespec start;
    int last;                   /* percent shown last, -1 none */
    uint64_t total;
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* "460 MiB" below 1 GiB, "1.0 GiB" above. */
static void progress_size(char *out, size_t len, uint64_t v)
{
    if (v < (1ull << 30))
        snprintf(out, len, "%" PRIu64 " MiB", v >> 20);
    else
        snprintf(out, len, "%.1f GiB", (double)v / (1u << 30));
}

/* A line updated in place on a terminal; elsewhere (-p into a file) a line
 * every 10 %. */
static void progress_update(struct progress *p, uint64_t done, bool last)
{
    char d[32], t[32];
    int pct = p->total ? (int)(done * 100 / p->total) : 100;

    if (!p->forced && !(p->tty && seconds_since(&p->start) > 1.0))
        return;
    if (pct == p->last || (!p->tty && pct / 10 == p->last / 10 && !last))
        return;
    progress_size(d, sizeof d, done);
    progress_size(t, sizeof t, p->total);
    fprintf(stderr, "%sconvert: %d%% (%s of %s)%s", p->tty ? "\r" : "", pct, d, t, p->tty ? "   " : "\n");
    fflush(stderr);
    p->last = pct;
    p->shown = true;
}

static bool all_zero(const uint8_t *p, size_t len)
{
    return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

/* Write the runs of 4 KiB pieces that hold data: a new image reads zeros
 * everywhere else, and stays unallocated (sparse) there. */
static int write_nonzero(struct block *dst, uint64_t off, const uint8_t *buf, size_t len)
{
    const size_t piece = 4096;
    size_t i = 0;

    while (i < len) {
        size_t start;
        while (i < len && all_zero(buf + i, len - i < piece ? len - i : piece))
            i += len - i < piece ? len - i : piece;
        start = i;
        while (i < len && !all_zero(buf + i, len - i < piece ? len - i : piece))
            i += len - i < piece ? len - i : piece;
        if (i > start && block_write(dst, off + start, buf + start, i - start) < 0)
            return -1;
    }
    return 0;
}

/* The chunk where a raw source's next data lies: reading a sparse file's
 * holes costs as much as reading data (8 GiB took 46 s). Other formats
 * answer unallocated reads from memory. Where the host cannot say (no
 * SEEK_DATA, a block device), `off` itself. */
static uint64_t next_data_chunk(struct block *src, uint64_t off)
{
    if (strcmp(src->fmt->name, "raw") != 0)
        return off;
    off_t d = lseek(src->fd, (off_t)off, SEEK_DATA);
    if (d < 0)
        return errno == ENXIO ? src->size : off;
    uint64_t chunk = (uint64_t)d / CONVERT_CHUNK * CONVERT_CHUNK;
    return chunk > off ? chunk : off;
}

static int copy_blocks(struct block *src, struct block *dst, const char *src_path,
                       const char *dst_path, struct progress *p)
{
    uint8_t *buf = malloc(CONVERT_CHUNK);
    int r = 0;

    if (!buf)
        return fail(DISK_EXIT_FAIL, dst_path, "out of memory");
    for (uint64_t off = 0; off < src->size; off += CONVERT_CHUNK) {
        off = next_data_chunk(src, off);
        if (off >= src->size)
            break;
        size_t n = src->size - off < CONVERT_CHUNK ? (size_t)(src->size - off) : CONVERT_CHUNK;
        if (convert_stop) {
            r = fail(DISK_EXIT_FAIL, dst_path, "interrupted; removed");
            break;
        }
        if (block_read(src, off, buf, n) < 0) {
            r = fail_block(DISK_EXIT_FAIL, src_path, src->err);
            break;
        }
        if (write_nonzero(dst, off, buf, n) < 0) {
            r = fail_block(DISK_EXIT_FAIL, dst_path, dst->err);
            break;
        }
        progress_update(p, off + n, false);
    }
    free(buf);
    if (r == 0 && block_flush(dst) < 0)
        r = fail_block(DISK_EXIT_FAIL, dst_path, dst->err);
    return r;
}

static int disk_convert(int argc, char **argv)
{
    struct disk_opts o = { 0 };
    char err[BLOCK_ERR_LEN];
    struct stat s1, s2;
    struct sigaction sa, old_int, old_term;
    int r;

    if ((r = parse_opts(&o, argc, argv, ":f:O:o:ph", "fixed force")))
        return r;
    if (o.help) {
        convert_usage(stdout);
        return 0;
    }
    if ((r = want_args(argc, argv, 2, 2, "convert [options] -O FORMAT SRC DST")))
        return r;
    const char *src_path = argv[optind], *dst_path = argv[optind + 1];
    if (!o.out_format)
        return fail(CLI_EXIT_USAGE, dst_path, "give its format with -O (raw, qcow2, vdi)");
    if ((o.format && !find_format(o.format)) || !find_format(o.out_format))
        return CLI_EXIT_USAGE;
    if ((r = check_create_opts(&o, o.out_format)))
        return r;
    if (stat(src_path, &s1) == 0 && stat(dst_path, &s2) == 0 && s1.st_dev == s2.st_dev &&
        s1.st_ino == s2.st_ino)
        return fail(CLI_EXIT_USAGE, dst_path, "is the source image");

    struct block *src = block_open(src_path, o.format, BLOCK_RDONLY, err, sizeof err);
    if (!src)
        return fail_block(CLI_EXIT_USAGE, src_path, err);
    bool existed = stat(dst_path, &s2) == 0;
    if ((r = check_overwrite(dst_path, o.force))) {
        block_close(src);
        return r;
    }
    o.create.size = (src->size + BLOCK_SECTOR - 1) / BLOCK_SECTOR * BLOCK_SECTOR;
    o.create.fixed = o.fixed;
    if ((r = create_image(dst_path, o.out_format, &o.create, existed))) {
        block_close(src);
        return r;
    }
    struct block *dst = block_open(dst_path, o.out_format, 0, err, sizeof err);
    if (!dst) {
        block_close(src);
        unlink(dst_path);
        return fail_block(DISK_EXIT_FAIL, dst_path, err);
    }

    /* Ctrl-C removes the partial output instead of leaving it. */
    convert_stop = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_convert_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    struct progress p = { .forced = o.progress, .tty = isatty(2), .last = -1, .total = src->size };
    clock_gettime(CLOCK_MONOTONIC, &p.start);
    progress_update(&p, 0, false);
    r = copy_blocks(src, dst, src_path, dst_path, &p);
    if (r == 0)
        progress_update(&p, src->size, true);
    if (p.shown && p.tty)
        fputc('\n', stderr);
    block_close(dst);
    block_close(src);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (r)
        unlink(dst_path);
    return r;
}

/* ---- check ---- */

static void check_usage(FILE *f)
{
    fprintf(f, "usage: rawbox disk check [options] FILE\n\n"
               "Check an image's metadata: leaks (space allocated but unused: harmless)\n"
               "and corruptions (tables that disagree: data may be wrong).\n\n"
               "options:\n"
               "  -f FORMAT          the image's format (default: probed)\n"
               "  -r                 repair what can be repaired (the image is written)\n"
               "  -h, --help         show this help\n\n"
               "exit status (as qemu-img check): 0 clean, 1 the check could not run,\n"
               "2 corruptions, 3 leaks only, 63 the format has nothing to check.\n");
}

static int disk_check(int argc, char **argv)
{
    struct disk_opts o = { 0 };
    struct block_check res = { 0 };
    char err[BLOCK_ERR_LEN];
    int r;

    /* Usage errors are 1 here: 2 and 3 mean what the check found. */
    if (parse_opts(&o, argc, argv, ":f:rh", ""))
        return DISK_EXIT_FAIL;
    if (o.help) {
        check_usage(stdout);
        return 0;
    }
    if (want_args(argc, argv, 1, 1, "check [options] FILE"))
        return DISK_EXIT_FAIL;
    const char *path = argv[optind];
    if (o.format && !find_format(o.format))
        return DISK_EXIT_FAIL;
    struct block *b = block_open(path, o.format, o.repair ? 0 : BLOCK_RDONLY, err, sizeof err);
    if (!b)
        return fail_block(DISK_EXIT_FAIL, path, err);
    if (!b->fmt->check) {
        r = fail(CHECK_EXIT_UNSUPPORTED, path, "the %s format has no metadata to check", b->fmt->name);
        block_close(b);
        return r;
    }
    if (b->fmt->check(b, &res, o.repair) < 0 || (o.repair && block_flush(b) < 0)) {
        r = fail_block(DISK_EXIT_FAIL, path, b->err);
        block_close(b);
        return r;
    }
    block_close(b);

    uint64_t leaks = res.leaks - (res.leaks_fixed < res.leaks ? res.leaks_fixed : res.leaks);
    uint64_t corrupt = res.corruptions - (res.corruptions_fixed < res.corruptions ? res.corruptions_fixed : res.corruptions);
    printf("leaks: %" PRIu64 "\ncorruptions: %" PRIu64 "\n", res.leaks, res.corruptions);
    if (o.repair)
        printf("leaks fixed: %" PRIu64 "\ncorruptions fixed: %" PRIu64 "\n", res.leaks_fixed, res.corruptions_fixed);
    if (res.total)
        printf("allocated: %" PRIu64 " of %" PRIu64 " (%.2f%%)\n", res.allocated, res.total,
               100.0 * (double)res.allocated / (double)res.total);
    if (corrupt) {
        printf("%s: %" PRIu64 " corruptions: data may be wrong\n", path, corrupt);
        return CHECK_EXIT_CORRUPT;
    }
    if (leaks) {
        printf("%s: %" PRIu64 " leaked: space is lost, data is intact (-r reclaims it)\n", path, leaks);
        return CHECK_EXIT_LEAKS;
    }
    printf("%s: no errors found\n", path);
    return 0;
}

/* ---- resize ---- */

static void resize_usage(FILE *f)
{
    fprintf(f, "usage: rawbox disk resize [options] FILE [+|-]SIZE\n\n"
               "Set the virtual size to SIZE, or grow (+SIZE) or shrink (-SIZE) it by SIZE.\n"
               "Options come before FILE.\n\n"
               "options:\n"
               "  -f FORMAT          the image's format (default: probed)\n"
               "  --shrink           allow a smaller size (what lies past it is lost),\n"
               "                     where the format supports shrinking\n"
               "  -h, --help         show this help\n\n"
               "example:\n  rawbox disk resize disk.qcow2 +10G\n");
}

static int disk_resize(int argc, char **argv)
{
    struct disk_opts o = { 0 };
    char err[BLOCK_ERR_LEN], hs[32];
    uint64_t delta, size;
    int r;

    /* '+' stops at FILE, so "-1G" after it is a size, not an option. */
    if ((r = parse_opts(&o, argc, argv, "+:f:h", "shrink")))
        return r;
    if (o.help) {
        resize_usage(stdout);
        return 0;
    }
    if ((r = want_args(argc, argv, 2, 2, "resize [options] FILE [+|-]SIZE")))
        return r;
    const char *path = argv[optind], *arg = argv[optind + 1];
    char sign = arg[0] == '+' || arg[0] == '-' ? arg[0] : 0;
    if ((r = parse_disk_size(arg + (sign != 0), &delta)))
        return r;
    if (o.format && !find_format(o.format))
        return CLI_EXIT_USAGE;
    struct block *b = block_open(path, o.format, 0, err, sizeof err);
    if (!b)
        return fail_block(CLI_EXIT_USAGE, path, err);
    if (sign == '+' && delta > UINT64_MAX - b->size)
        r = fail(CLI_EXIT_USAGE, arg, "the new size overflows");
    else if (sign == '-' && delta > b->size)
        r = fail(CLI_EXIT_USAGE, arg, "larger than the image (%" PRIu64 " bytes)", b->size);
    size = sign == '+' ? b->size + delta : sign == '-' ? b->size - delta : delta;
    if (r == 0 && size < b->size && !o.shrink)
        r = fail(CLI_EXIT_USAGE, path, "shrinking from %" PRIu64 " to %" PRIu64
                 " bytes loses data: add --shrink", b->size, size);
    else if (r == 0 && !b->fmt->resize)
        r = fail(DISK_EXIT_FAIL, path, "the %s format cannot be resized", b->fmt->name);
    else if (r == 0 && (b->fmt->resize(b, size) < 0 || block_flush(b) < 0))
        r = fail_block(DISK_EXIT_FAIL, path, b->err);
    if (r == 0)
        printf("resized %s to %s (%" PRIu64 " bytes)\n", path, human_size(hs, sizeof hs, b->size), b->size);
    block_close(b);
    return r;
}

/* ---- dispatch ---- */

struct disk_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct disk_command disk_commands[] = {
    { "create", disk_create, "create an image: create [-f FMT] [--fixed] FILE SIZE" },
    { "info", disk_info, "show format, sizes and details: info [--json] FILE" },
    { "convert", disk_convert, "copy into a new image: convert [-f FMT] -O FMT [-p] SRC DST" },
    { "check", disk_check, "check metadata for leaks and corruption: check [-r] FILE" },
    { "resize", disk_resize, "change the virtual size: resize FILE [+|-]SIZE" },
};

#define NDISK (sizeof disk_commands / sizeof disk_commands[0])

static void disk_usage(FILE *f)
{
    char known[64];
    list_formats(known, sizeof known);
    fprintf(f, "usage: rawbox disk COMMAND [options] ...\n\n"
               "Disk images (formats: %s).\n\ncommands:\n", known);
    for (unsigned i = 0; i < NDISK; i++)
        fprintf(f, "  %-8s %s\n", disk_commands[i].name, disk_commands[i].summary);
    fprintf(f, "\n'rawbox disk COMMAND --help' shows a command's options.\n\n"
               "examples:\n  rawbox disk create disk.qcow2 20G\n"
               "  rawbox disk convert -O vdi disk.qcow2 disk.vdi\n");
}

int cmd_disk(int argc, char **argv)
{
    if (argc < 2)
        return fail(CLI_EXIT_USAGE, "disk", "missing command (see rawbox disk --help)");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        disk_usage(stdout);
        return 0;
    }
    for (unsigned i = 0; i < NDISK; i++)
        if (strcmp(argv[1], disk_commands[i].name) == 0)
            return disk_commands[i].fn(argc - 1, argv + 1);
    return fail(CLI_EXIT_USAGE, argv[1], "unknown command (see rawbox disk --help)");
}
