/* Board support for real firmware (see firmware.h).
 *
 * Shadow RAM (Intel 82441FX datasheet, order 290549, s3.2.19 "PAM"): every
 * byte of 0xC0000-0xFFFFF has RAM behind it; the PAM field of its segment
 * says whether reads and writes reach that RAM or the bus (the firmware
 * ROM). The four modes become physmem regions:
 *   3 read/write RAM   RAM
 *   1 read-only RAM    a ROM region over the same RAM bytes (writes dropped)
 *   2 write-only RAM   reads from the ROM, writes into the RAM behind it
 *                      (an MMIO region; QEMU routes both to PCI instead)
 *   0 off              the reset map: the firmware's last bytes inside the
 *                      low window (0xE0000 or 0xF0000 up), plain RAM below
 *                      it, so test ROMs that never touch PAM keep the RAM
 *                      they had at 0xC0000-0xEFFFF.
 * Decoded instructions of a switched page are dropped (the bytes behind the
 * address change), and the TLB is flushed by physmem. This is what lets
 * SeaBIOS copy itself into RAM, write its variables there and then
 * write-protect the copy.
 *
 * fw_cfg items (QEMU docs/specs/fw_cfg.rst; what SeaBIOS src/fw/paravirt.c
 * reads): signature and ID, RAM size, NOGRAPHIC=1 unless a display
 * frontend shows the VGA (cfg.graphic; as QEMU's -nographic: SeaBIOS then
 * mirrors its screen to COM1, its "sercon"), one CPU, an empty
 * NUMA table, legacy ACPI/SMBIOS/e820 counts of 0, IRQ0 override 0, and
 * the files "etc/e820" (the RAM ranges), the board's ACPI tables with
 * their linker/loader script "etc/table-loader" (SeaBIOS then builds no
 * ACPI tables of its own), the SMBIOS entry point and structures
 * "etc/smbios/smbios-anchor" and "etc/smbios/smbios-tables" (without type
 * 0, which SeaBIOS adds), and, with --reboot-timeout,
 * "etc/boot-fail-wait"; in CMOS the boot order QEMU's default sets.
 * --fw-cfg adds files of the user's (a VGA BIOS as "vgaroms/NAME", option
 * ROMs as "genroms/NAME", a "bootorder"), as QEMU's -fw_cfg does. SeaBIOS only talks fw_cfg on a host bridge with
 * QEMU's subsystem ID 1af4:1100, which the i440FX carries for that reason.
 *
 * Left out: SMRAM (0xA0000 is the VGA window or unassigned), RAM above
 * 4 GiB. */
#include "vm/firmware.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/acpi.h"
#include "boot/smbios.h"
#include "hw/i440fx.h"
#include "util/log.h"
#include "vm/boot.h"
#include "vm/machine.h"

/* ---- shadow RAM ---- */

/* Start of the low firmware window (SHADOW_END when there is none). */
static uint32_t low_window(const struct machine *m)
{
    uint32_t w = m->bios_size < BIOS_LOW_WINDOW ? m->bios_size : BIOS_LOW_WINDOW;
    return m->bios ? SHADOW_END - w : SHADOW_END;
}

static uint64_t piece_read(void *o, uint64_t off, unsigned size)
{
    const struct shadow_piece *p = o;
    uint64_t v = 0;
    for (unsigned k = 0; k < size && off + k < p->size; k++)
        v |= (uint64_t)p->rom[off + k] << (8 * k);
    return v;
}

static void piece_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    const struct shadow_piece *p = o;
    uint8_t *ram = p->m->mem.ram + p->base;
    for (unsigned k = 0; k < size && off + k < p->size; k++)
        ram[off + k] = (uint8_t)(v >> (8 * k));
}

static const char *mode_name(unsigned mode)
{
    static const char *const names[4] = { "off", "read-only RAM", "write-only RAM", "RAM" };
    return names[mode & 3];
}

/* Map piece p as `mode` says; the old region at p->base must be gone. */
static int piece_map(struct machine *m, struct shadow_piece *p, unsigned mode)
{
    uint8_t *ram = m->mem.ram + p->base;

    p->mode = (uint8_t)mode;
    if (mode == (PAM_READ_RAM | PAM_WRITE_RAM) || (!p->rom && mode != PAM_READ_RAM))
        return physmem_map_ram(&m->mem, p->base, p->size, p->base, "shadow-ram");
    if (mode == PAM_READ_RAM)
        return physmem_map_rom(&m->mem, p->base, p->size, ram, "shadow-ro");
    if (mode == PAM_WRITE_RAM) {
        const struct io_handler h = { piece_read, piece_write, p, 1 | 2 | 4 | 8 };
        return physmem_map_mmio(&m->mem, p->base, p->size, &h, "shadow-wo");
    }
    return physmem_map_rom(&m->mem, p->base, p->size, (uint8_t *)p->rom, "bios-low");
}

int firmware_map_init(struct machine *m)
{
    struct firmware *fw = &m->fw;
    uint32_t low = low_window(m);

    /* Pieces follow the PAM segments: 16 KiB from 0xC0000 to 0xEFFFF,
     * then 0xF0000-0xFFFFF; each split where the firmware window starts. */
    fw->npieces = 0;
    for (uint32_t seg = SHADOW_BASE; seg < SHADOW_END;) {
        uint32_t end = seg < 0xF0000 ? seg + 0x4000 : SHADOW_END;
        uint32_t cut[3] = { seg, low > seg && low < end ? low : end, end };
        for (int k = 0; k < 2; k++) {
            struct shadow_piece *p;
            if (cut[k] == cut[k + 1])
                continue;
            p = &fw->piece[fw->npieces++];
            p->m = m;
            p->base = cut[k];
            p->size = cut[k + 1] - cut[k];
            p->rom = cut[k] >= low ? m->bios + m->bios_size - (SHADOW_END - cut[k]) : NULL;
            if (piece_map(m, p, 0) < 0)
                return -1;
        }
        seg = end;
    }
    return 0;
}

void firmware_pam(struct machine *m, uint32_t base, uint32_t size, unsigned mode)
{
    struct firmware *fw = &m->fw;

    mode &= PAM_READ_RAM | PAM_WRITE_RAM;
    for (int i = 0; i < fw->npieces; i++) {
        struct shadow_piece *p = &fw->piece[i];
        if (p->base < base || p->base - base >= size || p->mode == mode)
            continue;
        LOG(LOG_HW, "PAM 0x%05x+0x%x: %s -> %s", p->base, p->size, mode_name(p->mode),
            mode_name(mode));
        /* The bytes behind these addresses change: drop what was decoded
         * from them (this also unmarks RAM code pages). */
        for (uint32_t a = p->base; a < p->base + p->size; a += PAGE_SIZE)
            physmem_code_written(&m->mem, a, PAGE_SIZE);
        physmem_unmap(&m->mem, p->base);
        if (piece_map(m, p, mode) < 0) {
            /* Cannot happen: the same range was just free. Keep a map. */
            log_err("shadow: cannot map 0x%05x+0x%x", p->base, p->size);
            if (physmem_map_ram(&m->mem, p->base, p->size, p->base, "shadow-ram") == 0)
                p->mode = PAM_READ_RAM | PAM_WRITE_RAM;
        }
    }
}

/* ---- fw_cfg ---- */

static int add_e820(struct fwcfg *c, uint64_t ram)
{
    /* struct { u64 address, length; u32 type; } packed, little endian:
     * the RAM ranges only; SeaBIOS reserves what it uses itself. */
    uint8_t e[20] = { 0 };
    for (int i = 0; i < 8; i++)
        e[8 + i] = (uint8_t)(ram >> (8 * i));
    e[16] = 1;                      /* E820_RAM */
    return fwcfg_add_file(c, "etc/e820", e, sizeof e, false) < 0 ? -1 : 0;
}

/* The board's ACPI tables, the same a --kernel boot gets (src/boot/acpi.c),
 * as QEMU hands them over: "etc/acpi/rsdp", "etc/acpi/tables" and the
 * linker/loader script "etc/table-loader" that places and links them.
 * SeaBIOS runs the script, finds the RSDP and builds no ACPI tables of
 * its own. */
static int add_acpi(struct fwcfg *c, const struct machine *m)
{
    struct acpi_params p;
    boot_acpi_params(m, &p);
    if (!p.pm_base)
        return 0;
    struct acpi_blob *b = malloc(sizeof *b);
    uint8_t *script = malloc(ACPI_LOADER_MAX);
    int r = -1;
    if (b && script) {
        acpi_build_blob(b, &p);
        uint32_t n = acpi_loader_script(b, script);
        if (fwcfg_add_file(c, acpi_file_name[ACPI_FILE_RSDP], b->rsdp, ACPI_RSDP_LEN, false) >= 0 &&
            fwcfg_add_file(c, acpi_file_name[ACPI_FILE_TABLES], b->tables, b->tables_len,
                           false) >= 0 &&
            fwcfg_add_file(c, ACPI_LOADER_FILE, script, n, false) >= 0)
            r = 0;
    }
    free(script);
    free(b);
    return r;
}

/* The board's SMBIOS structures without type 0, as QEMU hands them over:
 * SeaBIOS places them, adds its own BIOS information (type 0) and writes
 * the entry point's address and checksums. */
static int add_smbios(struct fwcfg *c)
{
    struct smbios_blob b;
    smbios_build_blob(&b, false, 0);
    return fwcfg_add_file(c, "etc/smbios/smbios-anchor", b.anchor, SMBIOS_EP_LEN, false) < 0 ||
           fwcfg_add_file(c, "etc/smbios/smbios-tables", b.tables, b.tables_len, false) < 0
           ? -1 : 0;
}

static int fill_fwcfg(struct machine *m)
{
    struct fwcfg *c = &m->fw.fwcfg;
    static const uint8_t zeros[16];
    const uint16_t cpus = 1;

    if (fwcfg_add_bytes(c, FWCFG_UUID, zeros, 16) ||
        fwcfg_add_u64(c, FWCFG_RAM_SIZE, m->cfg.ram_size) ||
        fwcfg_add_u16(c, FWCFG_NOGRAPHIC, !m->cfg.graphic) ||
        fwcfg_add_u16(c, FWCFG_NB_CPUS, cpus) ||
        fwcfg_add_u16(c, FWCFG_MAX_CPUS, cpus) ||
        fwcfg_add_u32(c, FWCFG_MACHINE_ID, 0) ||
        fwcfg_add_u16(c, FWCFG_BOOT_MENU, m->cfg.boot_menu) ||
        /* NUMA: u64 node count, a u64 node per CPU, a u64 size per node. */
        fwcfg_add_bytes(c, FWCFG_NUMA, zeros, 8 + 8 * cpus) ||
        fwcfg_add_u16(c, FWCFG_ACPI_TABLES, 0) ||
        fwcfg_add_u16(c, FWCFG_SMBIOS, 0) ||
        fwcfg_add_bytes(c, FWCFG_IRQ0_OVERRIDE, zeros, 1) ||
        fwcfg_add_u32(c, FWCFG_E820_TABLE, 0) ||
        add_e820(c, m->cfg.ram_size) ||
        add_acpi(c, m) ||
        add_smbios(c))
        return -1;
    if (m->cfg.has_reboot_timeout) {
        uint32_t ms = (uint32_t)m->cfg.reboot_timeout_ms;     /* -1: 0xFFFFFFFF */
        uint8_t b[4] = { (uint8_t)ms, (uint8_t)(ms >> 8), (uint8_t)(ms >> 16),
                         (uint8_t)(ms >> 24) };
        if (fwcfg_add_file(c, "etc/boot-fail-wait", b, sizeof b, false) < 0)
            return -1;
    }
    return 0;
}

/* --fw-cfg name=NAME,file=PATH | name=NAME,string=TEXT (checked by the CLI;
 * checked again here, since the config may come from elsewhere). */
static int add_user_file(struct fwcfg *c, const char *spec)
{
    const char *comma = strchr(spec, ',');
    char name[FWCFG_NAME_LEN];
    size_t nl;

    if (strncmp(spec, "name=", 5) || !comma || (nl = (size_t)(comma - spec - 5)) == 0 ||
        nl >= sizeof name) {
        fprintf(stderr, "rawbox: --fw-cfg %s: expected name=NAME,file=PATH or "
                "name=NAME,string=TEXT\n", spec);
        return -1;
    }
    memcpy(name, spec + 5, nl);
    name[nl] = 0;
    if (strncmp(comma, ",string=", 8) == 0) {
        const char *text = comma + 8;
        if (fwcfg_add_file(c, name, text, (uint32_t)strlen(text), false) < 0)
            goto full;
        return 0;
    }
    if (strncmp(comma, ",file=", 6)) {
        fprintf(stderr, "rawbox: --fw-cfg %s: expected file=PATH or string=TEXT after the name\n",
                spec);
        return -1;
    }
    const char *path = comma + 6;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "rawbox: --fw-cfg %s: %s\n", spec, strerror(errno));
        return -1;
    }
    uint8_t *buf = malloc(FWCFG_MAX_ITEM + 1);
    size_t n = buf ? fread(buf, 1, FWCFG_MAX_ITEM + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad || n > FWCFG_MAX_ITEM) {
        fprintf(stderr, "rawbox: --fw-cfg %s: %s\n", spec,
                bad ? "cannot read the file" : "file larger than 16 MiB");
        free(buf);
        return -1;
    }
    int r = fwcfg_add_file(c, name, buf, (uint32_t)n, false);
    free(buf);
    if (r < 0)
        goto full;
    return 0;
full:
    fprintf(stderr, "rawbox: --fw-cfg %s: too many fw_cfg files or out of memory\n", spec);
    return -1;
}

/* The boot order (cfg.boot_order, QEMU's -boot order= letters; default
 * "cad"), two ways, as QEMU gives it:
 *  - CMOS 0x3D low nibble first device, high nibble second, 0x38 high
 *    nibble third (1 floppy, 2 hard disk, 3 CD-ROM, 4 network); 0x38 bit 0
 *    clear: check the boot sector signature on floppies. SeaBIOS src/boot.c
 *    turns them into the default priorities of each kind;
 *  - the fw_cfg file "bootorder": one device path a line, in order, for the
 *    drives that exist: /pci@i0cf8/ide@1,1/drive@CHANNEL/disk@UNIT, as
 *    SeaBIOS's build_ata_path() spells the IDE function 00:01.1 (its
 *    bootprio_find_ata_device matches them); a listed device comes before
 *    every unlisted one. */
static int set_boot_order(struct machine *m)
{
    const char *order = m->cfg.boot_order ? m->cfg.boot_order : "cad";
    uint8_t nib[3] = { 0 };
    char paths[512];
    size_t n = 0;
    int k = 0;

    for (const char *p = order; *p && k < 3; p++) {
        static const char letters[] = "acdn";
        const char *at = strchr(letters, *p);
        static const uint8_t code[4] = { 1, 2, 3, 4 };
        if (at && *at)
            nib[k++] = code[at - letters];
    }
    rtc_cmos_set(&m->pc.rtc, 0x3d, (uint8_t)(nib[0] | nib[1] << 4));
    rtc_cmos_set(&m->pc.rtc, 0x38, (uint8_t)(nib[2] << 4));
    if (!m->cfg.boot_order)
        return 0;
    for (const char *p = order; *p; p++) {
        enum ide_kind want = *p == 'c' ? IDE_DISK : *p == 'd' ? IDE_CDROM : IDE_NONE;
        if (want == IDE_NONE)
            continue;
        for (unsigned ch = 0; ch < IDE_CHANNELS; ch++)
            for (unsigned u = 0; u < IDE_UNITS; u++)
                if (m->pc.ide.ch[ch].drive[u].kind == want && n + 64 < sizeof paths)
                    n += (size_t)snprintf(paths + n, sizeof paths - n,
                                          "/pci@i0cf8/ide@1,1/drive@%u/disk@%u\n", ch, u);
    }
    if (n == 0)
        return 0;
    paths[n - 1] = 0;                   /* the last line ends the file, NUL included */
    return fwcfg_add_file(&m->fw.fwcfg, "bootorder", paths, (uint32_t)n, false) < 0 ? -1 : 0;
}

static void firmware_reset(void *opaque)
{
    struct machine *m = opaque;
    if (m->fw.fwcfg_up)
        fwcfg_reset(&m->fw.fwcfg);
}

static int open_log(struct machine *m)
{
    /* Reads of the port return 0xE9: how SeaBIOS sees the port is there. */
    int r = debugcon_open(&m->fw.log, &m->io, FIRMWARE_LOG_PORT, m->cfg.firmware_log,
                          "--firmware-log");
    if (r < 0)
        return -1;
    m->fw.log_up = r > 0;
    return 0;
}

int firmware_init(struct machine *m)
{
    struct firmware *fw = &m->fw;

    if (fwcfg_init(&fw->fwcfg, &m->io, FWCFG_PORT, &m->mem)) {
        fprintf(stderr, "rawbox: fw_cfg: ports 0x%x-0x%x are taken\n", FWCFG_PORT,
                FWCFG_PORT + 11);
        return -1;
    }
    fw->fwcfg_up = true;
    if (fill_fwcfg(m)) {
        fprintf(stderr, "rawbox: fw_cfg: out of memory or item table full\n");
        return -1;
    }
    for (int i = 0; i < m->cfg.nfw_cfg && i < MACHINE_MAX_FW_CFG; i++)
        if (add_user_file(&fw->fwcfg, m->cfg.fw_cfg[i]) < 0)
            return -1;
    if (set_boot_order(m) < 0) {
        fprintf(stderr, "rawbox: fw_cfg: out of memory or item table full\n");
        return -1;
    }
    if (machine_add_reset(m, firmware_reset, m)) {
        fprintf(stderr, "rawbox: board: too many reset hooks\n");
        return -1;
    }
    return open_log(m);
}

void firmware_free(struct machine *m)
{
    struct firmware *fw = &m->fw;
    if (fw->fwcfg_up)
        fwcfg_free(&fw->fwcfg);
    if (fw->log_up)
        debugcon_free(&fw->log);
    fw->fwcfg_up = fw->log_up = false;
}
