/* The ATAPI CD-ROM behind the IDE ports (src/hw/atapi.c): the packet
 * commands, sense data and media events. ide.c owns the registers and the
 * data transfers and calls in here for what is ATAPI's. */
#ifndef RAWBOX_HW_ATAPI_H
#define RAWBOX_HW_ATAPI_H

#include "hw/ide.h"

/* Sense keys and additional sense codes (SPC-3 tables 27, 28). */
#define SENSE_NONE            0x00
#define SENSE_NOT_READY       0x02
#define SENSE_MEDIUM_ERROR    0x03
#define SENSE_ILLEGAL_REQUEST 0x05
#define SENSE_UNIT_ATTENTION  0x06
#define ASC_UNRECOVERED_READ  0x11
#define ASC_INVALID_OPCODE    0x20
#define ASC_LBA_OUT_OF_RANGE  0x21
#define ASC_INVALID_FIELD     0x24
#define ASC_MEDIUM_CHANGED    0x28
#define ASC_SAVING_PARAMS     0x39
#define ASC_NO_MEDIUM         0x3a
#define ASC_REMOVAL_PREVENTED 0x53

/* The PACKET command was written: wait for the 12 command bytes. */
void atapi_start_packet(struct ide_drive *d);
/* The command bytes are in d->atapi.cdb: run the command. */
void atapi_packet(struct ide_drive *d);
/* IDENTIFY PACKET DEVICE. */
void atapi_identify(struct ide_drive *d);
/* DEVICE RESET (08h). */
void atapi_reset(struct ide_drive *d);
/* Signature 01h/01h/14h/EBh in count, LBA low/mid/high. */
void atapi_set_signature(struct ide_drive *d);
/* Reset of the ATAPI state: hard (power-on) also unlocks and closes the tray. */
void atapi_device_reset(struct ide_drive *d, bool hard);
/* An image request failed: MEDIUM ERROR. */
void atapi_io_error(struct ide_drive *d);
/* The medium was changed or removed (ide_change_medium). */
void atapi_medium_changed(struct ide_drive *d);

#endif
