/* The monitor (monitor.h): a command table, a unix-socket listener with a
 * few clients, each a line buffer. Replies follow QEMU's wording where
 * scripts read them ("VM status: running", the "(qemu) " prompt). */
#include "vm/monitor.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cpu/flags.h"
#include "ui/keymap.h"
#include "ui/png.h"
#include "vm/machine.h"

#define MON_CLIENTS 4
#define MON_LINE 512
#define MON_PROMPT "(qemu) "

struct monitor {
    struct machine *m;
    int listen_fd;
    char *path;
    int slot_listen, slot[MON_CLIENTS];
    struct { int fd; size_t n; char line[MON_LINE]; bool overflow; } c[MON_CLIENTS];
};

static void outf(monitor_out_fn out, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void outf(monitor_out_fn out, void *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out(ctx, buf);
}

/* ---- commands ---- */

static void cmd_help(struct machine *m, char *arg, monitor_out_fn out, void *ctx);

static void cmd_info(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    if (!arg || !*arg) {
        out(ctx, "info status     show the VM's status\n"
                 "info registers  show the vCPU's registers\n");
    } else if (!strcmp(arg, "status")) {
        outf(out, ctx, "VM status: %s\n", m->powered_off ? "paused (shutdown)" :
                                          m->paused ? "paused" : "running");
    } else if (!strcmp(arg, "registers")) {
        struct cpu *cpu = &m->cpu;
        static const char *const names[16] = { "RAX", "RCX", "RDX", "RBX", "RSP", "RBP",
                                                "RSI", "RDI", "R8", "R9", "R10", "R11",
                                                "R12", "R13", "R14", "R15" };
        static const char *const segs[6] = { "ES", "CS", "SS", "DS", "FS", "GS" };
        for (int i = 0; i < 16; i++)
            outf(out, ctx, "%-3s=%016" PRIx64 "%s", names[i], cpu->s.gpr[i],
                 i % 4 == 3 ? "\n" : " ");
        outf(out, ctx, "RIP=%016" PRIx64 " RFL=%08" PRIx32 " CPL=%u\n", cpu->s.rip,
             flags_get(cpu), (unsigned)cpu->s.cpl);
        for (int i = 0; i < 6; i++)
            outf(out, ctx, "%s =%04x %016" PRIx64 " %08" PRIx32 " %04x\n", segs[i],
                 cpu->s.seg[i].sel, cpu->s.seg[i].base, cpu->s.seg[i].limit, cpu->s.seg[i].attr);
        outf(out, ctx, "CR0=%08" PRIx64 " CR2=%016" PRIx64 " CR3=%016" PRIx64 " CR4=%08" PRIx64 "\n",
             cpu->s.cr0, cpu->s.cr2, cpu->s.cr3, cpu->s.cr4);
        outf(out, ctx, "EFER=%016" PRIx64 "\n", cpu->s.efer);
    } else {
        outf(out, ctx, "info: unknown item '%s' (try: info)\n", arg);
    }
}

static void cmd_stop(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    m->paused = true;
    cpu_request_exit(&m->cpu, CPU_EXIT_STOP);
}

static void cmd_cont(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    if (m->powered_off)
        out(ctx, "the guest is powered off: system_reset first\n");
    else
        m->paused = false;
}

static void cmd_reset(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    m->reset_requested = true;
    cpu_request_exit(&m->cpu, CPU_EXIT_STOP);
}

static void cmd_powerdown(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    acpi_pm_power_button(&m->pc.pm);
}

static void cmd_quit(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    machine_request_exit(m, 0);
    cpu_request_exit(&m->cpu, CPU_EXIT_STOP);
}

static void cmd_sendkey(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    struct keymap_key keys[8];
    int n = 0;
    char *save = NULL;
    if (!arg || !*arg) {
        out(ctx, "sendkey: which keys? (e.g. sendkey ctrl-alt-delete)\n");
        return;
    }
    char *sp = strchr(arg, ' ');
    if (sp)
        *sp = 0;        /* a hold time may follow: the keys go at once */
    for (char *k = strtok_r(arg, "-", &save); k; k = strtok_r(NULL, "-", &save)) {
        if (n == 8) {
            out(ctx, "sendkey: too many keys (at most 8)\n");
            return;
        }
        if (!keymap_find(k, &keys[n])) {
            outf(out, ctx, "sendkey: unknown key '%s'\n", k);
            return;
        }
        n++;
    }
    for (int i = 0; i < n; i++)
        i8042_kbd_key(&m->pc.kbc, keys[i].code, keys[i].e0, true);
    for (int i = n; i-- > 0;)
        i8042_kbd_key(&m->pc.kbc, keys[i].code, keys[i].e0, false);
}

/* screendump FILE: the screen as the display frontends would show it,
 * rendered now, saved as PNG (QEMU's -f png; other formats are refused). */
static void cmd_screendump(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    char err[256], *file = arg ? strtok(arg, " \t") : NULL, *next;
    struct display_frame *f;

    if (file && strcmp(file, "-f") == 0) {
        char *fmt = strtok(NULL, " \t");
        if (!fmt || strcmp(fmt, "png") != 0) {
            out(ctx, "screendump: only -f png is supported\n");
            return;
        }
        file = strtok(NULL, " \t");
    }
    next = file ? strtok(NULL, " \t") : NULL;
    if (!file || next) {
        out(ctx, "screendump: usage: screendump [-f png] FILE\n");
        return;
    }
    if (!m->screen.update) {
        out(ctx, "screendump: this machine has no display adapter (--vga none)\n");
        return;
    }
    f = calloc(1, sizeof *f);
    if (f)
        f->pixels = malloc((size_t)DISPLAY_MAX_WIDTH * DISPLAY_MAX_HEIGHT * sizeof *f->pixels);
    if (!f || !f->pixels) {
        out(ctx, "screendump: out of memory\n");
        if (f)
            free(f);
        return;
    }
    m->screen.update(m->screen.opaque, f);
    if (png_write_frame(file, f, err, sizeof err) < 0)
        outf(out, ctx, "screendump: %s\n", err);
    free(f->pixels);
    free(f);
}

static const struct {
    const char *name, *alias, *args, *help;
    void (*fn)(struct machine *m, char *arg, monitor_out_fn out, void *ctx);
} cmds[] = {
    { "help", "?", "", "list the commands", cmd_help },
    { "info", NULL, "status|registers", "show the VM's status or registers", cmd_info },
    { "stop", NULL, "", "pause the vCPU", cmd_stop },
    { "cont", "c", "", "resume the vCPU", cmd_cont },
    { "system_reset", NULL, "", "reset the board", cmd_reset },
    { "system_powerdown", NULL, "", "press the ACPI power button", cmd_powerdown },
    { "sendkey", NULL, "KEYS [MS]", "press and release keys, e.g. ctrl-alt-delete", cmd_sendkey },
    { "screendump", NULL, "[-f png] FILE", "save the screen as PNG", cmd_screendump },
    { "quit", "q", "", "end rawbox", cmd_quit },
};

static void cmd_help(struct machine *m, char *arg, monitor_out_fn out, void *ctx)
{
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        outf(out, ctx, "%s%s%s %s -- %s\n", cmds[i].name, cmds[i].alias ? "|" : "",
             cmds[i].alias ? cmds[i].alias : "", cmds[i].args, cmds[i].help);
}

void monitor_command(struct machine *m, const char *line, monitor_out_fn out, void *ctx)
{
    char buf[MON_LINE];
    snprintf(buf, sizeof buf, "%s", line);
    char *p = buf;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strlen(p);
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
        p[--len] = 0;
    if (!*p)
        return;
    char *arg = strpbrk(p, " \t");
    if (arg) {
        *arg++ = 0;
        while (*arg == ' ' || *arg == '\t')
            arg++;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(p, cmds[i].name) || (cmds[i].alias && !strcmp(p, cmds[i].alias))) {
            cmds[i].fn(m, arg, out, ctx);
            return;
        }
    outf(out, ctx, "unknown command: '%s'\n", p);
}

/* ---- the socket ---- */

static void sock_out(void *ctx, const char *text)
{
    int fd = *(int *)ctx;
    size_t n = strlen(text);
    /* A client that does not read loses replies rather than stalling the VM. */
    while (n) {
        ssize_t w = send(fd, text, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w <= 0)
            return;
        text += w;
        n -= (size_t)w;
    }
}

static void drop_client(struct monitor *mon, int i)
{
    close(mon->c[i].fd);
    mon->c[i].fd = -1;
    mon->m->polls[mon->slot[i]].fd = -1;
}

static void client_poll(void *opaque, int fd)
{
    struct monitor *mon = opaque;
    int i = 0;
    while (i < MON_CLIENTS && mon->c[i].fd != fd)
        i++;
    if (i == MON_CLIENTS)
        return;
    char buf[256];
    ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        drop_client(mon, i);
        return;
    }
    for (ssize_t k = 0; k < r; k++) {
        char ch = buf[k];
        if (ch != '\n') {
            if (mon->c[i].n < MON_LINE - 1)
                mon->c[i].line[mon->c[i].n++] = ch;
            else
                mon->c[i].overflow = true;
            continue;
        }
        mon->c[i].line[mon->c[i].n] = 0;
        if (mon->c[i].overflow)
            sock_out(&mon->c[i].fd, "line too long: ignored\n");
        else
            monitor_command(mon->m, mon->c[i].line, sock_out, &mon->c[i].fd);
        mon->c[i].n = 0;
        mon->c[i].overflow = false;
        if (mon->c[i].fd < 0)
            return;
        sock_out(&mon->c[i].fd, MON_PROMPT);
    }
}

static void listen_poll(void *opaque, int fd)
{
    struct monitor *mon = opaque;
    int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (c < 0)
        return;
    for (int i = 0; i < MON_CLIENTS; i++)
        if (mon->c[i].fd < 0) {
            mon->c[i].fd = c;
            mon->c[i].n = 0;
            mon->c[i].overflow = false;
            mon->m->polls[mon->slot[i]].fd = c;
            sock_out(&mon->c[i].fd, "rawbox monitor (QEMU's human monitor commands) - "
                                    "type 'help' for more information\n" MON_PROMPT);
            return;
        }
    sock_out(&c, "rawbox monitor: too many clients\n");
    close(c);
}

static void monitor_cleanup(void *opaque)
{
    struct monitor *mon = opaque;
    for (int i = 0; i < MON_CLIENTS; i++)
        if (mon->c[i].fd >= 0)
            close(mon->c[i].fd);
    if (mon->listen_fd >= 0) {
        close(mon->listen_fd);
        unlink(mon->path);
    }
    free(mon->path);
    free(mon);
}

int monitor_open(struct machine *m, const char *spec, char *err, size_t errlen)
{
    if (!strcmp(spec, "none"))
        return 0;
    if (strncmp(spec, "unix:", 5) || !spec[5] || spec[5] == ',') {
        snprintf(err, errlen, "expected unix:PATH (or none)");
        return -1;
    }
    /* QEMU's options after the path: server and nowait are what rawbox
     * does anyway; wait is refused rather than silently ignored. */
    char *path = strdup(spec + 5);
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char *opt = strchr(path, ',');
    if (opt) {
        *opt++ = 0;
        for (char *save = NULL, *o = strtok_r(opt, ",", &save); o; o = strtok_r(NULL, ",", &save))
            if (strcmp(o, "server") && strcmp(o, "server=on") && strcmp(o, "nowait") &&
                strcmp(o, "wait=off")) {
                snprintf(err, errlen, "unsupported option '%s' (server and nowait are implied)", o);
                free(path);
                return -1;
            }
    }
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "path longer than %zu bytes", sizeof sa.sun_path - 1);
        free(path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    struct monitor *mon = calloc(1, sizeof *mon);
    if (!mon) {
        snprintf(err, errlen, "out of memory");
        free(path);
        return -1;
    }
    mon->m = m;
    mon->path = path;
    for (int i = 0; i < MON_CLIENTS; i++)
        mon->c[i].fd = -1;
    mon->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    /* A stale socket file from an earlier run is replaced; any other file
     * is not. */
    struct sockaddr_un probe = sa;
    int t = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (t >= 0 && connect(t, (struct sockaddr *)&probe, sizeof probe) < 0 && errno == ECONNREFUSED)
        unlink(path);
    if (t >= 0)
        close(t);
    if (mon->listen_fd < 0 || bind(mon->listen_fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        listen(mon->listen_fd, 4) < 0) {
        snprintf(err, errlen, "cannot listen there: %s", strerror(errno));
        if (mon->listen_fd >= 0)
            close(mon->listen_fd);
        free(path);
        free(mon);
        return -1;
    }
    mon->slot_listen = m->nr_polls;
    if (machine_add_poll(m, mon->listen_fd, listen_poll, mon) < 0)
        goto full;
    for (int i = 0; i < MON_CLIENTS; i++) {
        mon->slot[i] = m->nr_polls;
        if (machine_add_poll(m, -1, client_poll, mon) < 0)
            goto full;
    }
    if (machine_add_cleanup(m, monitor_cleanup, mon) < 0)
        goto full;
    return 0;
full:
    /* Slots already taken stay, watching nothing. */
    for (int i = mon->slot_listen; i < m->nr_polls; i++)
        m->polls[i].fd = -1;
    snprintf(err, errlen, "too many host fds to watch");
    close(mon->listen_fd);
    unlink(path);
    free(path);
    free(mon);
    return -1;
}
