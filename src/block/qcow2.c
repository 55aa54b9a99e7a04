/* qcow2 (QEMU's copy-on-write format): a placeholder until the driver
 * lands: it recognises the magic so probing never takes a qcow2 image
 * for raw, and refuses to open it. */
#include "block/block.h"

#include <errno.h>

static int qcow2_probe(const uint8_t *head, size_t len)
{
    return len >= 4 && head[0] == 'Q' && head[1] == 'F' && head[2] == 'I' &&
           head[3] == 0xfb ? 100 : 0;
}

static int qcow2_open(struct block *b)
{
    return block_error(b, -ENOTSUP, "qcow2 images are not supported yet");
}

const struct block_format block_qcow2 = {
    .name = "qcow2",
    .probe = qcow2_probe,
    .open = qcow2_open,
};
