/* ATAPI CD-ROM packet commands (see atapi.h).
 *
 * Facts from: ATA/ATAPI-6 s8.23/8.24 and s9.8-9.10 (PACKET, IDENTIFY
 * PACKET DEVICE word 0, the packet protocol: interrupt reason in the sector
 * count register (bit 0 C/D, bit 1 I/O), byte count limit in LBA mid/high,
 * the signature); SPC-3 (INQUIRY, REQUEST SENSE fixed format 70h, TEST
 * UNIT READY, sense keys/ASC); MMC-3 (READ CAPACITY, READ(10)/(12), READ
 * CD, READ TOC/PMA/ATIP formats 0/1/2, GET CONFIGURATION with the profile
 * list, core and removable medium features, GET EVENT STATUS NOTIFICATION
 * polled media class, MODE SENSE(10) pages 01h, 0Dh, 2Ah, READ DISC
 * INFORMATION, START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, SET CD SPEED,
 * MECHANISM STATUS). What isolinux, GRUB, SeaBIOS and Linux's sr/libata
 * send was checked against QEMU's hw/ide/atapi.c.
 *
 * The disc is a single data track (mode 1, 2048-byte sectors) starting at
 * LBA 0 / MSF 00:02:00, one session; images above 80 minutes of CD report
 * the DVD-ROM profile. A unit attention (medium may have changed) is
 * reported once after a medium change, to every command but INQUIRY,
 * REQUEST SENSE, GET CONFIGURATION and GET EVENT STATUS NOTIFICATION.
 *
 * Left out: audio (PLAY, READ SUB-CHANNEL), raw READ CD (sync, headers,
 * EDC: only user data), MODE SELECT, READ DVD STRUCTURE, writing. */
#include "hw/atapi.h"

#include <string.h>

#include "util/log.h"

enum {
    PKT_TEST_UNIT_READY = 0x00, PKT_REQUEST_SENSE = 0x03, PKT_INQUIRY = 0x12,
    PKT_START_STOP = 0x1b, PKT_PREVENT_ALLOW = 0x1e, PKT_READ_CAPACITY = 0x25,
    PKT_READ_10 = 0x28, PKT_SEEK_10 = 0x2b, PKT_READ_TOC = 0x43, PKT_GET_CONFIGURATION = 0x46,
    PKT_GET_EVENT_STATUS = 0x4a, PKT_READ_DISC_INFO = 0x51, PKT_MODE_SENSE_10 = 0x5a,
    PKT_READ_12 = 0xa8, PKT_SET_CD_SPEED = 0xbb, PKT_MECHANISM_STATUS = 0xbd,
    PKT_READ_CD = 0xbe,
};

#define CD_FRAMES 75
#define CD_MAX_SECTORS (80u * 60 * CD_FRAMES)   /* 80 minutes of CD */
#define PROFILE_CDROM 0x0008
#define PROFILE_DVDROM 0x0010

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return be16(p) << 16 | be16(p + 2); }
static void put_be16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put_be32(uint8_t *p, uint32_t v) { put_be16(p, v >> 16); put_be16(p + 2, v); }

static bool has_medium(const struct ide_drive *d)
{
    return d->blk && !d->atapi.tray_open;
}

/* LBA to minute/second/frame, with the 2-second lead-in. */
static void put_msf(uint8_t *p, uint32_t lba)
{
    lba += 150;
    p[0] = (uint8_t)(lba / (60 * CD_FRAMES));
    p[1] = (uint8_t)(lba / CD_FRAMES % 60);
    p[2] = (uint8_t)(lba % CD_FRAMES);
}

/* An address field of 4 bytes: 0, M, S, F or a big-endian LBA. */
static void put_addr(uint8_t *p, uint32_t lba, bool msf)
{
    if (msf) {
        p[0] = 0;
        put_msf(p + 1, lba);
    } else {
        put_be32(p, lba);
    }
}

static void set_sense(struct ide_drive *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    d->atapi.sense_key = key;
    d->atapi.asc = asc;
    d->atapi.ascq = ascq;
}

static void check_condition(struct ide_drive *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    set_sense(d, key, asc, ascq);
    ide_cmd_done(d, (uint8_t)(key << 4 | (key == SENSE_ILLEGAL_REQUEST ? ATA_ER_ABRT : 0)));
}

static void illegal(struct ide_drive *d, uint8_t asc)
{
    check_condition(d, SENSE_ILLEGAL_REQUEST, asc, 0);
}

static void good(struct ide_drive *d)
{
    ide_cmd_done(d, 0);
}

/* Reply with the first `len` bytes of buf, cut to the allocation length. */
static void reply(struct ide_drive *d, uint32_t len, uint32_t alloc)
{
    if (len > alloc)
        len = alloc;
    if (len == 0) {
        good(d);
        return;
    }
    d->dma = d->atapi.dma_req;
    ide_buf_in(d, len);
}

void atapi_set_signature(struct ide_drive *d)
{
    d->nsector = 1;
    d->lba_lo = 1;
    d->lba_mid = 0x14;
    d->lba_hi = 0xeb;
    d->device &= 0x10;
}

void atapi_device_reset(struct ide_drive *d, bool hard)
{
    struct atapi_state *a = &d->atapi;
    set_sense(d, SENSE_NONE, 0, 0);
    a->dma_req = false;
    if (hard) {
        a->locked = false;
        a->tray_open = false;
        a->unit_attention = false;
        a->event_pending = false;
        a->event_code = 0;
    }
}

void atapi_reset(struct ide_drive *d)
{
    d->xfer = XFER_NONE;
    d->dma = false;
    atapi_set_signature(d);
    atapi_device_reset(d, false);
    d->error = 0x01;
    d->status = 0;
}

void atapi_medium_changed(struct ide_drive *d)
{
    struct atapi_state *a = &d->atapi;
    a->unit_attention = true;
    a->event_pending = true;
    a->event_code = has_medium(d) ? 2 : 3;      /* new media / media removal */
}

void atapi_io_error(struct ide_drive *d)
{
    check_condition(d, SENSE_MEDIUM_ERROR, ASC_UNRECOVERED_READ, 0);
}

void atapi_identify(struct ide_drive *d)
{
    uint8_t *id = d->buf;
    ide_identify_common(d, id, "RAWBOX CD-ROM");
    /* ATAPI, CD-ROM (type 5), removable, DRQ within 50 us, 12-byte packets. */
    id[0] = 0xc0;
    id[1] = 0x85;
    id[2 * 49 + 1] = 0x03;              /* LBA and DMA */
    id[2 * 80] = 0x1e;                  /* ATAPI-1 to 4 */
    id[2 * 71] = 30;
    id[2 * 72] = 30;
    ide_buf_in(d, 512);
}

void atapi_start_packet(struct ide_drive *d)
{
    struct atapi_state *a = &d->atapi;
    uint32_t lim = (uint32_t)d->lba_hi << 8 | d->lba_mid;
    /* 0 and FFFFh are not valid limits; odd ones are rounded down (a PIO
     * transfer moves words). */
    if (lim == 0 || lim == 0xffff)
        lim = 0xfffe;
    lim &= ~1u;
    if (lim == 0)
        lim = 2;
    a->byte_limit = (uint16_t)lim;
    a->dma_req = d->feature & 1;
    d->xfer = XFER_PACKET;
    d->pos = 0;
    d->have = d->drq_end = sizeof a->cdb;
    d->nsector = 0x01;                  /* C/D = command, I/O = to device */
    d->status = ATA_ST_DRDY | ATA_ST_DRQ;
}

/* ---- the commands ---- */

static void inquiry(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    if (cdb[1] & 1) {                   /* vital product data pages */
        illegal(d, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 36);
    b[0] = 0x05;                        /* CD/DVD device */
    b[1] = 0x80;                        /* removable */
    b[2] = 0x00;
    b[3] = 0x21;                        /* ATAPI, response data format 1 */
    b[4] = 36 - 5;
    memcpy(b + 8, "RAWBOX  ", 8);
    memcpy(b + 16, "RAWBOX CD-ROM   ", 16);
    memcpy(b + 32, "1.0 ", 4);
    reply(d, 36, be16(cdb + 3));
}

static void request_sense(struct ide_drive *d, const uint8_t *cdb)
{
    struct atapi_state *a = &d->atapi;
    uint8_t *b = d->buf;
    memset(b, 0, 18);
    b[0] = 0x70;                        /* current error, fixed format */
    b[2] = a->sense_key;
    b[7] = 10;
    b[12] = a->asc;
    b[13] = a->ascq;
    set_sense(d, SENSE_NONE, 0, 0);
    reply(d, 18, cdb[4]);
}

static void start_stop(struct ide_drive *d, const uint8_t *cdb)
{
    struct atapi_state *a = &d->atapi;
    bool loej = cdb[4] & 2, start = cdb[4] & 1;
    if (loej && !start) {
        if (a->locked) {
            check_condition(d, SENSE_ILLEGAL_REQUEST, ASC_REMOVAL_PREVENTED, 2);
            return;
        }
        if (!a->tray_open && d->blk) {
            a->tray_open = true;
            a->event_pending = true;
            a->event_code = 3;          /* media removal */
        }
        a->tray_open = true;
    } else if (loej && start && a->tray_open) {
        a->tray_open = false;
        if (d->blk)
            atapi_medium_changed(d);
    }
    good(d);
}

static void read_capacity(struct ide_drive *d)
{
    put_be32(d->buf, (uint32_t)(d->sectors ? d->sectors - 1 : 0));
    put_be32(d->buf + 4, 2048);
    reply(d, 8, 8);
}

static void read_sectors(struct ide_drive *d, uint64_t lba, uint64_t count)
{
    if (lba > d->sectors || count > d->sectors - lba) {
        illegal(d, ASC_LBA_OUT_OF_RANGE);
        return;
    }
    if (count == 0) {
        good(d);
        return;
    }
    if (count > UINT32_MAX / 2) {
        illegal(d, ASC_INVALID_FIELD);
        return;
    }
    d->dma = d->atapi.dma_req;
    ide_start_rw(d, XFER_CD_READ, lba, (uint32_t)count);
}

static void read_cd(struct ide_drive *d, const uint8_t *cdb)
{
    uint32_t count = (uint32_t)cdb[6] << 16 | be16(cdb + 7);
    uint8_t type = (cdb[1] >> 2) & 7;
    if (type != 0 && type != 2) {       /* any, or mode 1 */
        illegal(d, ASC_INVALID_FIELD);
        return;
    }
    switch (cdb[9] & 0xf8) {
    case 0x00:                          /* no data */
        good(d);
        return;
    case 0x10:                          /* user data only */
        read_sectors(d, be32(cdb + 2), count);
        return;
    }
    LOG_ONCE(LOG_HW, "atapi: READ CD of raw sectors (flags 0x%02x) is not supported", cdb[9]);
    illegal(d, ASC_INVALID_FIELD);
}

static void read_toc(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    bool msf = cdb[1] & 2;
    unsigned format = cdb[2] & 0x0f, track = cdb[6], n = 4;
    uint32_t end = (uint32_t)d->sectors;

    if (format == 0)
        format = cdb[9] >> 6;           /* SFF-8020's place for it */
    memset(b, 0, 64);
    switch (format) {
    case 0:                             /* tracks: 1, then the lead-out */
        if (track > 1 && track != 0xaa) {
            illegal(d, ASC_INVALID_FIELD);
            return;
        }
        b[2] = 1;
        b[3] = 1;
        if (track <= 1) {
            b[n + 1] = 0x14;            /* ADR 1, data track */
            b[n + 2] = 1;
            put_addr(b + n + 4, 0, msf);
            n += 8;
        }
        b[n + 1] = 0x14;
        b[n + 2] = 0xaa;
        put_addr(b + n + 4, end, msf);
        n += 8;
        break;
    case 1:                             /* sessions: the first track of the last */
        b[2] = 1;
        b[3] = 1;
        b[n + 1] = 0x14;
        b[n + 2] = 1;
        put_addr(b + n + 4, 0, msf);
        n += 8;
        break;
    case 2: {                           /* raw TOC: points A0, A1, A2, 1 */
        static const uint8_t points[4] = { 0xa0, 0xa1, 0xa2, 0x01 };
        b[2] = 1;
        b[3] = 1;
        for (int i = 0; i < 4; i++) {
            uint8_t *e = b + n;
            e[0] = 1;                   /* session */
            e[1] = 0x14;
            e[3] = points[i];
            if (points[i] == 0xa0) {
                e[8] = 1;               /* first track; disc type 0 */
            } else if (points[i] == 0xa1) {
                e[8] = 1;               /* last track */
            } else if (msf) {
                put_msf(e + 8, points[i] == 0xa2 ? end : 0);
            } else {
                put_be32(e + 7, points[i] == 0xa2 ? end : 0);
            }
            n += 11;
        }
        break;
    }
    default:
        illegal(d, ASC_INVALID_FIELD);
        return;
    }
    put_be16(b, n - 2);
    reply(d, n, be16(cdb + 7));
}

static uint16_t profile(const struct ide_drive *d)
{
    if (!has_medium(d))
        return 0;
    return d->sectors > CD_MAX_SECTORS ? PROFILE_DVDROM : PROFILE_CDROM;
}

static void get_configuration(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    unsigned rt = cdb[1] & 3, start = be16(cdb + 2), n = 8;
    uint16_t cur = profile(d);

    if (rt == 3) {
        illegal(d, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 64);
    put_be16(b + 6, cur);
    /* (feature number, bytes) in order; rt 1: current ones (all three
     * are), rt 2: only `start`. */
    if ((rt == 2 && start == 0) || (rt != 2 && start == 0)) {
        uint8_t *f = b + n;
        f[2] = 0x03;                    /* persistent, current */
        f[3] = 8;
        put_be16(f + 4, PROFILE_DVDROM);
        f[6] = cur == PROFILE_DVDROM;
        put_be16(f + 8, PROFILE_CDROM);
        f[10] = cur == PROFILE_CDROM;
        n += 12;
    }
    if ((rt == 2 && start == 1) || (rt != 2 && start <= 1)) {
        uint8_t *f = b + n;
        put_be16(f, 0x0001);            /* core */
        f[2] = 0x0b;                    /* version 2, persistent, current */
        f[3] = 8;
        put_be32(f + 4, 2);             /* ATAPI */
        n += 12;
    }
    if ((rt == 2 && start == 3) || (rt != 2 && start <= 3)) {
        uint8_t *f = b + n;
        put_be16(f, 0x0003);            /* removable medium */
        f[2] = 0x03;
        f[3] = 4;
        f[4] = 0x29;                    /* tray, eject, lock */
        n += 8;
    }
    put_be32(b, n - 4);
    reply(d, n, be16(cdb + 7));
}

static void get_event_status(struct ide_drive *d, const uint8_t *cdb)
{
    struct atapi_state *a = &d->atapi;
    uint8_t *b = d->buf;
    if (!(cdb[1] & 1)) {                /* only polled operation */
        illegal(d, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 8);
    b[3] = 0x10;                        /* supported: media class */
    if (!(cdb[4] & 0x10)) {
        put_be16(b, 2);
        b[2] = 0x80;                    /* no event available */
        reply(d, 4, be16(cdb + 7));
        return;
    }
    put_be16(b, 6);
    b[2] = 0x04;                        /* media class */
    if (a->event_pending) {
        b[4] = a->event_code;
        a->event_pending = false;
    }
    b[5] = (has_medium(d) ? 0x02 : 0) | (a->tray_open ? 0x01 : 0);
    reply(d, 8, be16(cdb + 7));
}

/* Mode page `page` at p; its length. */
static unsigned mode_page(const struct ide_drive *d, unsigned page, uint8_t *p)
{
    switch (page) {
    case 0x01:                          /* read error recovery */
        memset(p, 0, 8);
        p[0] = 0x01;
        p[1] = 6;
        p[3] = 5;                       /* read retry count */
        return 8;
    case 0x0d:                          /* CD device parameters */
        memset(p, 0, 8);
        p[0] = 0x0d;
        p[1] = 6;
        put_be16(p + 4, 60);            /* seconds per minute */
        put_be16(p + 6, 75);            /* frames per second */
        return 8;
    case 0x2a:                          /* capabilities and mechanical status */
        memset(p, 0, 22);
        p[0] = 0x2a;
        p[1] = 20;
        p[2] = 0x3b;                    /* reads CD-R, CD-RW, DVD-ROM/R/RAM */
        p[4] = 0x71;                    /* audio play, mode 2 form 1/2, multi-session */
        p[5] = 0x60;
        p[6] = 0x29 | (d->atapi.locked ? 0x02 : 0);     /* tray, eject, lock */
        put_be16(p + 8, 706);           /* maximum speed, KB/s */
        put_be16(p + 10, 2);            /* volume levels */
        put_be16(p + 12, 512);          /* buffer, KB */
        put_be16(p + 14, 706);          /* current speed */
        return 22;
    }
    return 0;
}

static void mode_sense(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    unsigned pc = cdb[2] >> 6, page = cdb[2] & 0x3f, n = 8;
    if (pc == 3) {
        illegal(d, ASC_SAVING_PARAMS);
        return;
    }
    memset(b, 0, 8);
    if (page == 0x3f) {
        n += mode_page(d, 0x01, b + n);
        n += mode_page(d, 0x0d, b + n);
        n += mode_page(d, 0x2a, b + n);
    } else {
        unsigned len = mode_page(d, page, b + n);
        if (!len) {
            illegal(d, ASC_INVALID_FIELD);
            return;
        }
        n += len;
    }
    if (pc == 1)                        /* changeable values: none are */
        for (unsigned i = 8; i + 1 < n; i += 2u + b[i + 1])
            memset(b + i + 2, 0, b[i + 1]);
    put_be16(b, n - 2);
    reply(d, n, be16(cdb + 7));
}

static void read_disc_info(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    if (cdb[1] & 7) {
        illegal(d, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 34);
    put_be16(b, 32);
    b[2] = 0x0e;                        /* complete disc, complete last session */
    b[3] = 1;                           /* first track */
    b[4] = 1;                           /* sessions */
    b[5] = 1;                           /* first track of the last session */
    b[6] = 1;                           /* last track of the last session */
    reply(d, 34, be16(cdb + 7));
}

static void mechanism_status(struct ide_drive *d, const uint8_t *cdb)
{
    memset(d->buf, 0, 8);
    reply(d, 8, be16(cdb + 8));
}

static bool needs_medium(uint8_t op)
{
    switch (op) {
    case PKT_TEST_UNIT_READY: case PKT_READ_CAPACITY: case PKT_READ_10: case PKT_READ_12:
    case PKT_READ_CD: case PKT_READ_TOC: case PKT_READ_DISC_INFO: case PKT_SEEK_10:
        return true;
    }
    return false;
}

void atapi_packet(struct ide_drive *d)
{
    struct atapi_state *a = &d->atapi;
    const uint8_t *cdb = a->cdb;
    uint8_t op = cdb[0];

    d->status = ATA_ST_BSY | ATA_ST_DRDY;
    if (a->unit_attention && op != PKT_INQUIRY && op != PKT_REQUEST_SENSE &&
        op != PKT_GET_CONFIGURATION && op != PKT_GET_EVENT_STATUS) {
        a->unit_attention = false;
        check_condition(d, SENSE_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, 0);
        return;
    }
    if (op != PKT_REQUEST_SENSE)
        set_sense(d, SENSE_NONE, 0, 0);
    if (needs_medium(op) && !has_medium(d)) {
        check_condition(d, SENSE_NOT_READY, ASC_NO_MEDIUM, 0);
        return;
    }
    switch (op) {
    case PKT_TEST_UNIT_READY:
    case PKT_SEEK_10:
    case PKT_SET_CD_SPEED:
        good(d);
        return;
    case PKT_REQUEST_SENSE:
        request_sense(d, cdb);
        return;
    case PKT_INQUIRY:
        inquiry(d, cdb);
        return;
    case PKT_START_STOP:
        start_stop(d, cdb);
        return;
    case PKT_PREVENT_ALLOW:
        a->locked = cdb[4] & 1;
        good(d);
        return;
    case PKT_READ_CAPACITY:
        read_capacity(d);
        return;
    case PKT_READ_10:
        read_sectors(d, be32(cdb + 2), be16(cdb + 7));
        return;
    case PKT_READ_12:
        read_sectors(d, be32(cdb + 2), be32(cdb + 6));
        return;
    case PKT_READ_CD:
        read_cd(d, cdb);
        return;
    case PKT_READ_TOC:
        read_toc(d, cdb);
        return;
    case PKT_GET_CONFIGURATION:
        get_configuration(d, cdb);
        return;
    case PKT_GET_EVENT_STATUS:
        get_event_status(d, cdb);
        return;
    case PKT_MODE_SENSE_10:
        mode_sense(d, cdb);
        return;
    case PKT_READ_DISC_INFO:
        read_disc_info(d, cdb);
        return;
    case PKT_MECHANISM_STATUS:
        mechanism_status(d, cdb);
        return;
    }
    LOG(LOG_HW, "atapi: packet command 0x%02x not supported", op);
    illegal(d, ASC_INVALID_OPCODE);
}
