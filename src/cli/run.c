/* `rawbox run`: build a machine from options and run it.
 *
 * All options live in one table (run_opts[]): name, argument, help line and
 * a setter that validates the value and returns NULL or the reason it is
 * bad. Parsing, --help and error messages all come from that table, so a
 * new option is one row plus one setter. Accepted spellings: `--name VALUE`,
 * `--name=VALUE`, `-name VALUE` (QEMU style), and `-x VALUE` / `-xVALUE` for
 * the options with a short letter. A bad option or value prints one line
 * "rawbox: <option> <value>: <why>" on stderr and exits with status 2. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/device.h"
#include "cli/drive.h"
#include "cpu/cpuid.h"
#include "util/log.h"
#include "jit/jit.h"
#include "raw/raw.h"
#include "ui/frontend.h"
#include "util/parse.h"
#include "vm/boot.h"
#include "vm/loop.h"
#include "vm/machine.h"

struct run_args {
    struct machine_config cfg;
    struct loop_opts loop;
    const char *trace;
    const char *log_file;
    const char *kernel, *initrd, *append;   /* src/boot loaders */
    struct cpu_model cpu;                   /* --cpu, when has_cpu */
    bool has_cpu;
    int engine;                             /* --engine: 0 default, 1 interp, 2 raw, 3 jit */
    bool stats;                             /* --stats */
    int nserial;                            /* --serial given this many times */
    enum display_kind display;              /* --display's frontend */
    bool help;
};

struct run_opt {
    char short_name;            /* 0: none */
    const char *name;           /* long name without dashes */
    const char *arg;            /* metavariable; NULL for a flag */
    const char *help;
    const char *(*set)(struct run_args *a, const char *val);
};

/* ---- setters: return NULL when the value is good, else why not ---- */

static const char *set_memory(struct run_args *a, const char *v)
{
    uint64_t n;
    if (parse_size(v, 1ull << 20, &n) < 0)
        return "not a size (examples: 512M, 1G, 65536K; a bare number is MiB)";
    if (n < MACHINE_MIN_RAM)
        return "too small: need at least 1M";
    if (n > MACHINE_MAX_RAM)
        return "too large: at most 3G for now";
    a->cfg.ram_size = n;
    return NULL;
}

static const char *set_bios(struct run_args *a, const char *v)
{
    a->cfg.bios = v;    /* opened and checked when the machine is built */
    return NULL;
}

static const char *set_kernel(struct run_args *a, const char *v) { a->kernel = v; return NULL; }
static const char *set_initrd(struct run_args *a, const char *v) { a->initrd = v; return NULL; }
static const char *set_append(struct run_args *a, const char *v) { a->append = v; return NULL; }
static const char *set_monitor(struct run_args *a, const char *v)
{
    if (strcmp(v, "none") && (strncmp(v, "unix:", 5) || !v[5] || v[5] == ','))
        return "expected unix:PATH[,server,nowait] or none";
    a->cfg.monitor = v;     /* the socket is made when the machine is built */
    return NULL;
}

static const char *set_display(struct run_args *a, const char *v)
{
    static char why[160];
    struct display_spec spec;
    if (display_parse(v, &spec, why, sizeof why) < 0)
        return why;
    a->cfg.display = v;     /* the frontend opens when the machine is built */
    a->display = spec.kind;
    return NULL;
}

static const char *set_no_reboot(struct run_args *a, const char *v) { a->cfg.no_reboot = true; return NULL; }
static const char *set_no_shutdown(struct run_args *a, const char *v) { a->cfg.no_shutdown = true; return NULL; }
static const char *set_kernel_unpack(struct run_args *a, const char *v)
{
    a->cfg.kernel_unpack = true;
    return NULL;
}

static const char *set_debugcon(struct run_args *a, const char *v)
{
    if (strcmp(v, "stdio") && strcmp(v, "none") && !(strncmp(v, "file:", 5) == 0 && v[5]))
        return "expected stdio, file:PATH or none";
    a->cfg.debugcon = v;
    return NULL;
}

static const char *set_firmware_log(struct run_args *a, const char *v)
{
    if (strcmp(v, "stdio") && strcmp(v, "none") && !(strncmp(v, "file:", 5) == 0 && v[5]))
        return "expected stdio, file:PATH or none";
    a->cfg.firmware_log = v;
    return NULL;
}

static const char *set_reboot_timeout(struct run_args *a, const char *v)
{
    uint64_t ms;
    if (strcmp(v, "-1") == 0) {
        a->cfg.reboot_timeout_ms = -1;
    } else if (parse_u64(v, &ms) < 0 || ms > 0xfffffffeu) {
        return "expected milliseconds (0 to 4294967294) or -1 (never retry)";
    } else {
        a->cfg.reboot_timeout_ms = (int64_t)ms;
    }
    a->cfg.has_reboot_timeout = true;
    return NULL;
}

static const char *set_fw_cfg(struct run_args *a, const char *v)
{
    const char *comma = strchr(v, ',');
    if (strncmp(v, "name=", 5) || !comma || comma == v + 5 ||
        (strncmp(comma, ",file=", 6) && strncmp(comma, ",string=", 8)))
        return "expected name=NAME,file=PATH or name=NAME,string=TEXT";
    if (comma - (v + 5) >= FWCFG_NAME_LEN)
        return "name longer than 55 characters";
    if (a->cfg.nfw_cfg >= MACHINE_MAX_FW_CFG)
        return "given too many times";
    a->cfg.fw_cfg[a->cfg.nfw_cfg++] = v;  /* the file is read when the machine is built */
    return NULL;
}

static const char *set_serial(struct run_args *a, const char *v)
{
    if (a->nserial >= MACHINE_SERIAL_PORTS)
        return "given more than twice (the first is COM1, the second COM2)";
    if (strcmp(v, "stdio") && strcmp(v, "none") && !(strncmp(v, "file:", 5) == 0 && v[5]) &&
        strncmp(v, "tcp:", 4))
        return "expected stdio, file:PATH, tcp:HOST:PORT or none";
    a->cfg.serial[a->nserial++] = v;
    return NULL;
}

static const char *set_log(struct run_args *a, const char *v)
{
    static char why[96];
    int r = log_parse(v);
    if (r == 1)
        exit(0);        /* "--log help" printed the list */
    if (r < 0) {
        snprintf(why, sizeof why, "unknown category '%s' (see --log help)", log_bad_word());
        return why;
    }
    return NULL;
}

static const char *set_log_file(struct run_args *a, const char *v)
{
    a->log_file = v;
    return NULL;
}

static const char *set_trace(struct run_args *a, const char *v)
{
    a->trace = v;
    return NULL;
}

static const char *set_timeout(struct run_args *a, const char *v)
{
    if (parse_seconds(v, &a->loop.timeout_ns) < 0 || a->loop.timeout_ns == 0)
        return "expected a positive number of seconds";
    return NULL;
}

static const char *set_max_insns(struct run_args *a, const char *v)
{
    if (parse_u64(v, &a->loop.max_insns) < 0 || a->loop.max_insns == 0)
        return "expected a positive integer";
    return NULL;
}

static const char *set_cpu(struct run_args *a, const char *v)
{
    static char why[CPU_MODEL_ERR_LEN];
    if (strcmp(v, "help") == 0 || strcmp(v, "?") == 0) {
        cpu_model_list(stdout);
        exit(0);
    }
    if (cpu_model_parse(v, &a->cpu, why, sizeof why) < 0)
        return why;
    a->has_cpu = true;
    return NULL;
}

static const char *set_engine(struct run_args *a, const char *v)
{
    if (strcmp(v, "raw") == 0)
        a->engine = 2;
    else if (strcmp(v, "interp") == 0)
        a->engine = 1;
    else if (strcmp(v, "jit") == 0)
        a->engine = 3;
    else
        return "expected interp, raw or jit";
    return NULL;
}

static const char *set_stats(struct run_args *a, const char *v)
{
    a->stats = true;
    return NULL;
}

static const char *set_apic(struct run_args *a, const char *v)
{
    a->cfg.apic = true;
    return NULL;
}

static const char *set_no_apic(struct run_args *a, const char *v)
{
    a->cfg.apic = false;
    return NULL;
}

static const char *set_hpet(struct run_args *a, const char *v)
{
    a->cfg.hpet = true;
    return NULL;
}

static const char *set_no_hpet(struct run_args *a, const char *v)
{
    a->cfg.hpet = false;
    return NULL;
}

static const char *set_device(struct run_args *a, const char *v)
{
    if (strcmp(v, "help") == 0) {
        cli_device_help(stdout);
        exit(0);
    }
    return cli_device_add(&a->cfg, v);
}

static const char *set_disk(struct run_args *a, const char *v)
{
    return cli_disk_add(&a->cfg, "--disk", v);
}

static const char *set_vga(struct run_args *a, const char *v)
{
    if (strcmp(v, "std") == 0)
        a->cfg.vga = 1;
    else if (strcmp(v, "none") == 0)
        a->cfg.vga = 0;
    else
        return "unknown display adapter (std, none)";
    return NULL;
}

static const char *set_cdrom(struct run_args *a, const char *v)
{
    return cli_cdrom_add(&a->cfg, "--cdrom", v, -1);
}

static const char *set_hda(struct run_args *a, const char *v) { return cli_hd_add(&a->cfg, "-hda", v, 0); }
static const char *set_hdb(struct run_args *a, const char *v) { return cli_hd_add(&a->cfg, "-hdb", v, 1); }
static const char *set_hdc(struct run_args *a, const char *v) { return cli_hd_add(&a->cfg, "-hdc", v, 2); }
static const char *set_hdd(struct run_args *a, const char *v) { return cli_hd_add(&a->cfg, "-hdd", v, 3); }

static const char *set_drive(struct run_args *a, const char *v)
{
    return cli_drive_add(&a->cfg, v);
}

static const char *set_boot(struct run_args *a, const char *v)
{
    return cli_boot_set(&a->cfg, v);
}

/* --virtio-disk FILE[,format=F][,readonly=on|off]. The path and format
 * strings live until exit: this static copy keeps them reachable on
 * every way out (the config may be on a stack that is gone). */
static char *virtio_disk_strings[2 * MACHINE_MAX_VIRTIO_DISKS];

static const char *set_virtio_disk(struct run_args *a, const char *v)
{
    const char *comma = strchr(v, ','), *format = NULL;
    size_t format_len = 0;
    bool readonly = false;
    int n = a->cfg.nvirtio_disks;

    if (n >= MACHINE_MAX_VIRTIO_DISKS)
        return "given more than 4 times";
    if (comma == v || !*v)
        return "expected FILE[,format=F][,readonly=on]";
    for (const char *opt = comma; opt; ) {
        opt++;
        const char *end = strchr(opt, ',');
        size_t len = end ? (size_t)(end - opt) : strlen(opt);
        if (len > 7 && strncmp(opt, "format=", 7) == 0) {
            format = opt + 7;
            format_len = len - 7;
        } else if (len == 11 && strncmp(opt, "readonly=on", 11) == 0) {
            readonly = true;
        } else if (len == 12 && strncmp(opt, "readonly=off", 12) == 0) {
            readonly = false;
        } else {
            return "unknown property (expected format=F or readonly=on|off)";
        }
        opt = end;
    }
    a->cfg.virtio_disks[n].path = virtio_disk_strings[2 * n] =
        strndup(v, comma ? (size_t)(comma - v) : strlen(v));
    a->cfg.virtio_disks[n].format = virtio_disk_strings[2 * n + 1] =
        format ? strndup(format, format_len) : NULL;
    a->cfg.virtio_disks[n].readonly = readonly;
    if (!a->cfg.virtio_disks[n].path || (format && !a->cfg.virtio_disks[n].format))
        return "out of memory";
    a->cfg.nvirtio_disks = n + 1;
    return NULL;
}

static const char *set_help(struct run_args *a, const char *v)
{
    a->help = true;
    return NULL;
}

static const struct run_opt run_opts[] = {
    { 'm', "memory", "SIZE", "guest RAM, with K/M/G suffix (default 128M; bare number = MiB)", set_memory },
    { 0, "bios", "FILE", "firmware image, 64 KiB to 1 MiB, mapped below 4 GiB and at 0xE0000", set_bios },
    { 0, "kernel", "FILE", "Linux bzImage or Multiboot kernel to boot (instead of firmware)", set_kernel },
    { 0, "initrd", "FILES", "initrd for --kernel; Multiboot: modules 'FILE ARGS,FILE2...'", set_initrd },
    { 0, "append", "TEXT", "kernel command line for --kernel", set_append },
    { 0, "kernel-unpack", NULL, "decompress a bzImage on the host, enter it directly (no KASLR)", set_kernel_unpack },
    { 0, "disk", "FILE[,OPT]", "hard disk image; OPT: format=raw|qcow2|vdi, readonly=on, if=ide|virtio, cache=MODE (repeat for more disks)", set_disk },
    { 0, "cdrom", "FILE", "ISO image in the IDE CD-ROM (secondary master)", set_cdrom },
    { 0, "vga", "TYPE", "display adapter: std (QEMU's -vga std, PCI 00:02.0; the default without --kernel) or none", set_vga },
    { 0, "hda", "FILE", "disk image on IDE primary master (QEMU -hda)", set_hda },
    { 0, "hdb", "FILE", "disk image on IDE primary slave", set_hdb },
    { 0, "hdc", "FILE", "disk image on IDE secondary master", set_hdc },
    { 0, "hdd", "FILE", "disk image on IDE secondary slave", set_hdd },
    { 0, "drive", "file=F,...", "QEMU -drive: file=,format=,if=ide,media=disk|cdrom,index=0-3,readonly=on,cache=", set_drive },
    { 0, "boot", "order=dc,menu=on", "firmware boot order, QEMU letters c (disk), d (CD-ROM), a, n; menu=on|off", set_boot },
    { 0, "serial", "DEV", "COM1, then COM2 if repeated: stdio, file:PATH, tcp:HOST:PORT, none (default: COM1 stdio with --kernel)", set_serial },
    { 0, "debugcon", "OUT", "port 0xE9 output: stdio, file:PATH or none (default none)", set_debugcon },
    { 0, "firmware-log", "OUT", "port 0x402 output (SeaBIOS debug log): stdio, file:PATH or none", set_firmware_log },
    { 0, "fw-cfg", "name=N,file=F", "add fw_cfg file N from F (or name=N,string=TEXT), as QEMU -fw_cfg", set_fw_cfg },
    { 0, "cpu", "MODEL", "CPU model and features, as QEMU -cpu: MODEL[,+feat,-feat] (--cpu help lists them)", set_cpu },
    { 0, "engine", "NAME", "what runs guest code: raw (the default: guest user code natively on the host CPU, the rest through the recompiler; the interpreter with --trace), interp (everything interpreted) or jit (everything through the recompiler: hot code translated, the rest interpreted)", set_engine },
    { 0, "stats", NULL, "print the engine's statistics to stderr when the VM stops", set_stats },
    { 0, "no-apic", NULL, "hide the local APIC from CPUID and leave out the ACPI MADT: the OS uses the 8259s", set_no_apic },
    { 0, "apic", NULL, "report the local APIC in CPUID and add an ACPI MADT (the default)", set_apic },
    { 0, "no-hpet", NULL, "leave out the HPET (0xFED00000) and its ACPI table", set_no_hpet },
    { 0, "hpet", NULL, "add the HPET at 0xFED00000 and an ACPI HPET table (the default)", set_hpet },
    { 0, "device", "NAME[,PROP=V]", "add a QEMU test device: isa-debug-exit[,iobase=N,iosize=N], pc-testdev (--device help)", set_device },
    { 0, "monitor", "unix:PATH", "the monitor (QEMU's human monitor commands: help, info status, stop, cont, system_reset, system_powerdown, sendkey, quit) on a unix socket; also on Ctrl-A C", set_monitor },
    { 0, "display", "TYPE", "show the screen: none (the default), sdl (a window; click grabs the mouse, Ctrl-Alt-G releases it), vnc=:N or vnc=HOST:N (a VNC server on port 5900+N, no password), curses (text modes on this terminal; Ctrl-A X quits, Ctrl-A C monitor; COM1 is then not on the terminal: --serial stdio is refused and the default is none)", set_display },
    { 0, "no-reboot", NULL, "end the run (status 0) when the guest resets or triple-faults, instead of rebooting", set_no_reboot },
    { 0, "no-shutdown", NULL, "when the guest powers off, stop it but keep rawbox running (Ctrl-A X quits)", set_no_shutdown },
    { 0, "virtio-disk", "FILE[,OPTS]", "add a virtio-blk PCI disk (slot 4 on): FILE[,format=raw|qcow2|vdi][,readonly=on]", set_virtio_disk },
    { 0, "reboot-timeout", "MS", "firmware: retry booting after MS ms when no device boots (fw_cfg etc/boot-fail-wait; -1 never)", set_reboot_timeout },
    { 0, "log", "LIST", "log categories, comma-separated (--log help lists them)", set_log },
    { 0, "log-file", "PATH", "write log messages to PATH instead of stderr", set_log_file },
    { 0, "trace", "FILE", "write an instruction trace with disassembly to FILE (- = stderr)", set_trace },
    { 0, "timeout", "SECONDS", "stop with exit status 124 after this much host time", set_timeout },
    { 0, "max-insns", "N", "stop with exit status 124 after N instructions", set_max_insns },
    { 'h', "help", NULL, "show this help", set_help },
};

#define NOPTS (sizeof run_opts / sizeof run_opts[0])

static void run_usage(FILE *f)
{
    fprintf(f, "usage: rawbox run [options]\n\nBoot a virtual PC.\n\noptions:\n");
    for (unsigned i = 0; i < NOPTS; i++) {
        const struct run_opt *o = &run_opts[i];
        char left[48], sh[8] = "    ";
        if (o->short_name)
            snprintf(sh, sizeof sh, "-%c, ", o->short_name);
        snprintf(left, sizeof left, "%s--%s%s%s", sh, o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
        fprintf(f, "  %-24s %s\n", left, o->help);
    }
    fprintf(f, "\nexit status: the guest's (test-exit port 0xF4, or isa-debug-exit: V -> (V<<1)|1),\n"
               "2 for a bad option or file, 124 when --timeout/--max-insns hit,\n"
               "4 for a guest that stops for good (halt with interrupts off, shutdown).\n\n"
               "example:\n  rawbox run --bios build/guest/smoke.bin --debugcon stdio\n");
}

static const struct run_opt *find_long(const char *name, size_t len)
{
    for (unsigned i = 0; i < NOPTS; i++)
        if (strlen(run_opts[i].name) == len && strncmp(run_opts[i].name, name, len) == 0)
            return &run_opts[i];
    return NULL;
}

static const struct run_opt *find_short(char c)
{
    for (unsigned i = 0; i < NOPTS; i++)
        if (c && run_opts[i].short_name == c)
            return &run_opts[i];
    return NULL;
}

/* Parse argv (argv[0] = "run"). Returns 0 or prints the error and returns -1. */
static int parse_args(struct run_args *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = NULL, *why;
        const struct run_opt *o = NULL;
        char shown[64];

        if (arg[0] != '-' || arg[1] == 0) {
            fprintf(stderr, "rawbox: %s: unexpected argument (see rawbox run --help)\n", arg);
            return -1;
        }
        if (arg[1] == '-') {
            /* --name or --name=value */
            const char *name = arg + 2, *eq = strchr(name, '=');
            o = find_long(name, eq ? (size_t)(eq - name) : strlen(name));
            if (o && eq)
                val = eq + 1;
            snprintf(shown, sizeof shown, "--%s", o ? o->name : "");
        } else if (arg[2] == 0) {
            /* -x */
            o = find_short(arg[1]);
            snprintf(shown, sizeof shown, "-%c", arg[1]);
        } else if ((o = find_long(arg + 1, strlen(arg + 1)))) {
            /* -name, as QEMU spells its options */
            snprintf(shown, sizeof shown, "-%s", o->name);
        } else if ((o = find_short(arg[1])) && o->arg) {
            /* -xVALUE */
            val = arg + 2;
            snprintf(shown, sizeof shown, "-%c", arg[1]);
        } else {
            o = NULL;
        }
        if (!o) {
            fprintf(stderr, "rawbox: %s: unknown option (see rawbox run --help)\n", arg);
            return -1;
        }
        if (o->arg && !val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "rawbox: %s: missing %s\n", shown, o->arg);
                return -1;
            }
            val = argv[++i];
        } else if (!o->arg && val) {
            fprintf(stderr, "rawbox: %s: takes no value\n", shown);
            return -1;
        }
        why = o->set(a, val);
        if (why) {
            fprintf(stderr, "rawbox: %s %s: %s\n", shown, val, why);
            return -1;
        }
    }
    return 0;
}

static void on_signal(int sig)
{
    vm_loop_signal(sig);
}

int cmd_run(int argc, char **argv)
{
    static struct machine m;    /* large (TLB); keep it off the stack */
    struct run_args a = { 0 };
    FILE *trace = NULL;
    struct sigaction sa;
    int status;

    a.cfg.apic = true;          /* as on QEMU's pc: --no-apic turns it off */
    a.cfg.hpet = true;          /* as on QEMU's pc: --no-hpet turns it off */
    a.cfg.vga = -1;             /* --vga not given: decided below */

    if (parse_args(&a, argc, argv) < 0)
        return CLI_EXIT_USAGE;
    if (a.help) {
        run_usage(stdout);
        return 0;
    }
    if (a.has_cpu) {
        a.cfg.cpu_model = &a.cpu;
        /* As QEMU's -cpu ...,-apic: no APIC in CPUID means no MADT either. */
        if (!cpuid_has(&a.cpu, CPUID_1_EDX, CPUID_APIC))
            a.cfg.apic = false;
    }
    /* Disks and no kernel: boot them through SeaBIOS, as QEMU would. */
    bool default_bios = !a.cfg.bios && !a.kernel && (a.cfg.ndrives > 0 || a.cfg.nvirtio_disks > 0);
    if (default_bios) {
        if (access(MACHINE_DEFAULT_BIOS, R_OK) < 0) {
            fprintf(stderr, "rawbox: run: booting the disks needs firmware: %s: %s "
                    "(apt-get install seabios, or give --bios FILE)\n", MACHINE_DEFAULT_BIOS,
                    strerror(errno));
            return CLI_EXIT_USAGE;
        }
        a.cfg.bios = MACHINE_DEFAULT_BIOS;
    }
    if (!a.cfg.bios && !a.kernel) {
        fprintf(stderr, "rawbox: run: nothing to boot: give --bios FILE, --kernel FILE, --disk FILE or --cdrom FILE (see rawbox run --help)\n");
        return CLI_EXIT_USAGE;
    }
    /* Firmware draws on a screen, and so does anything a display frontend
     * shows; a --kernel boot without one uses COM1. */
    if (a.cfg.vga < 0)
        a.cfg.vga = a.kernel && a.display == DISPLAY_NONE ? 0 : 1;
    /* SeaBIOS mirrors its screen to COM1 unless a frontend shows the VGA
     * (QEMU's -nographic). */
    a.cfg.graphic = a.display != DISPLAY_NONE && a.cfg.vga > 0;
    if (a.log_file && log_set_file(a.log_file) < 0) {
        fprintf(stderr, "rawbox: --log-file %s: %s\n", a.log_file, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    if (a.trace) {
        trace = strcmp(a.trace, "-") == 0 ? stderr : fopen(a.trace, "w");
        if (!trace) {
            fprintf(stderr, "rawbox: --trace %s: %s\n", a.trace, strerror(errno));
            return CLI_EXIT_USAGE;
        }
    }
    /* The kernel's console=ttyS0, SeaBIOS's sercon; not when curses has the
     * terminal. */
    if ((a.kernel || default_bios) && a.nserial == 0 && a.display != DISPLAY_CURSES)
        a.cfg.serial[0] = "stdio";
    if (machine_init(&m, &a.cfg) < 0) {
        if (trace && trace != stderr)
            fclose(trace);
        return CLI_EXIT_USAGE;
    }
    if (a.kernel && boot_load_kernel(&m, a.kernel, a.initrd, a.append) < 0) {
        machine_free(&m);
        if (trace && trace != stderr)
            fclose(trace);
        return CLI_EXIT_USAGE;
    }
    if (trace) {
        m.cpu.trace = 1;
        m.cpu.trace_file = trace;
    }
    /* Raw mode, with the recompiler for what it cannot run natively, is
     * the default (RAWBOX_JIT=0 leaves the recompiler out, for
     * comparisons); a trace wants every instruction, so it picks the
     * interpreter unless raw mode is asked for. */
    const char *jenv = getenv("RAWBOX_JIT");
    const bool want_jit = !(jenv && strcmp(jenv, "0") == 0);
    if (a.engine == 2 || (a.engine == 0 && !trace)) {
        raw_attach(&m.cpu);
        if (want_jit && m.cpu.raw)
            jit_attach(&m.cpu);
    } else if (a.engine == 3 && jit_attach(&m.cpu)) {
        m.cpu.engine = &engine_jit;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    status = vm_loop_run(&m, &a.loop);
    if (a.stats) {
        raw_print_stats(&m.cpu, stderr);
        jit_print_stats(&m.cpu, stderr);
    }

    machine_free(&m);
    if (trace && trace != stderr)
        fclose(trace);
    else if (trace)
        fflush(trace);
    fflush(stdout);
    return status;
}
