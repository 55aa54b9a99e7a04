/* `--device` for the devices QEMU users add with -device to run test
 * suites (kvm-unit-tests' x86/run adds exactly these):
 *
 *   isa-debug-exit[,iobase=N][,iosize=N]   test-exit ports (hw/testexit.c);
 *                                          QEMU's defaults 0x501 and 2
 *   pc-testdev                             QEMU's test device
 *                                          (hw/pc_testdev.c)
 *
 * Values are numbers in C syntax (0xf4, 244), as QEMU's integer
 * properties take them. Giving isa-debug-exit replaces the board's own exit
 * port at 0xF4 (vm/machine.c), so `--device isa-debug-exit,iobase=0xf4,
 * iosize=0x4` is the default board and other ports do not leave a second
 * exit at 0xF4. */
#include "cli/device.h"

#include <stdlib.h>
#include <string.h>

#include "util/parse.h"

static char why[160];

/* A property value: a number up to `max`. */
static const char *prop_number(const char *name, const char *v, size_t len, uint64_t max,
                               uint64_t *out)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        goto bad;
    memcpy(buf, v, len);
    buf[len] = 0;
    if (parse_u64(buf, out) == 0 && *out <= max)
        return NULL;
bad:
    snprintf(why, sizeof why, "%s=%.*s: expected a number from 0 to %#llx", name, (int)len, v,
             (unsigned long long)max);
    return why;
}

static const char *add_debug_exit(struct machine_config *cfg, const char *props)
{
    uint64_t base = TESTEXIT_QEMU_IOBASE, size = TESTEXIT_QEMU_IOSIZE;
    const char *err;

    while (props && *props) {
        const char *end = strchr(props, ','), *eq;
        size_t len = end ? (size_t)(end - props) : strlen(props);
        eq = memchr(props, '=', len);
        if (eq && eq - props == 6 && strncmp(props, "iobase", 6) == 0) {
            err = prop_number("iobase", eq + 1, len - 7, 0xffff, &base);
        } else if (eq && eq - props == 6 && strncmp(props, "iosize", 6) == 0) {
            err = prop_number("iosize", eq + 1, len - 7, 0x10000, &size);
        } else {
            snprintf(why, sizeof why, "isa-debug-exit has no property '%.*s' (it has iobase=N, iosize=N)",
                     (int)(eq ? (size_t)(eq - props) : len), props);
            err = why;
        }
        if (err)
            return err;
        props = end ? end + 1 : NULL;
    }
    if (size == 0 || base + size > 0x10000) {
        snprintf(why, sizeof why, "isa-debug-exit: ports %#llx+%llu do not fit in 0-0xffff",
                 (unsigned long long)base, (unsigned long long)size);
        return why;
    }
    if (cfg->ndebug_exit >= MACHINE_MAX_DEBUG_EXIT) {
        snprintf(why, sizeof why, "isa-debug-exit: at most %d of them", MACHINE_MAX_DEBUG_EXIT);
        return why;
    }
    cfg->debug_exit[cfg->ndebug_exit].base = (uint16_t)base;
    cfg->debug_exit[cfg->ndebug_exit].size = (uint32_t)size;
    cfg->ndebug_exit++;
    return NULL;
}

static const char *add_pc_testdev(struct machine_config *cfg, const char *props)
{
    if (props && *props) {
        snprintf(why, sizeof why, "pc-testdev has no properties");
        return why;
    }
    if (cfg->pc_testdev) {
        snprintf(why, sizeof why, "pc-testdev: given twice (its ports are fixed)");
        return why;
    }
    cfg->pc_testdev = true;
    return NULL;
}

static const struct {
    const char *name;
    const char *help;
    const char *(*add)(struct machine_config *cfg, const char *props);
} devices[] = {
    { "isa-debug-exit", "[,iobase=0x501][,iosize=0x2]  a write of V exits with status (V<<1)|1",
      add_debug_exit },
    { "pc-testdev", "  QEMU's test device: ports 0xE0-0xEB, IRQ lines at 0x2000, RAM at 0xFF000000",
      add_pc_testdev },
};

#define NDEVICES (sizeof devices / sizeof devices[0])

void cli_device_help(FILE *f)
{
    fprintf(f, "devices for --device (as QEMU's -device):\n");
    for (unsigned i = 0; i < NDEVICES; i++)
        fprintf(f, "  %s%s\n", devices[i].name, devices[i].help);
    fprintf(f, "without isa-debug-exit the board has one at iobase=0xf4,iosize=0x4\n");
}

const char *cli_device_add(struct machine_config *cfg, const char *spec)
{
    const char *comma = strchr(spec, ',');
    size_t len = comma ? (size_t)(comma - spec) : strlen(spec);

    for (unsigned i = 0; i < NDEVICES; i++)
        if (strlen(devices[i].name) == len && strncmp(devices[i].name, spec, len) == 0)
            return devices[i].add(cfg, comma ? comma + 1 : NULL);
    int n = snprintf(why, sizeof why, "unknown device '%.*s' (devices:", (int)(len > 40 ? 40 : len),
                     spec);
    for (unsigned i = 0; i < NDEVICES && n > 0 && (size_t)n < sizeof why; i++)
        n += snprintf(why + n, sizeof why - n, " %s", devices[i].name);
    if (n > 0 && (size_t)n < sizeof why)
        snprintf(why + n, sizeof why - n, "; see --device help)");
    return why;
}
