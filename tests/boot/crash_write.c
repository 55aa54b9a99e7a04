/* The guest program of tests/boot/crash_virtio.sh: the block layout of
 * tests/boot/crash_writer.asm (block N = 4 sectors at LBA N*128 +
 * (N*37 mod 128), dword k = 0x5A000000 | N << 9 | k) written with
 * O_DIRECT to the disk given, fdatasync (a FLUSH to the device) after
 * every 32 blocks, and "flushed up to N" on stdout once it has returned.
 *
 *   crash_write DEVICE [NMAX]      (NMAX default 4000) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define STRIDE 128
#define SECTS 4
#define BATCH 32

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: crash_write DEVICE [NMAX]\n");
        return 2;
    }
    unsigned nmax = argc > 2 ? (unsigned)atoi(argv[2]) : 4000;
    int fd = open(argv[1], O_WRONLY | O_DIRECT);
    uint32_t *buf;
    if (fd < 0 || posix_memalign((void **)&buf, 4096, SECTS * 512)) {
        perror(argv[1]);
        return 1;
    }
    for (unsigned n = 1; n <= nmax; n++) {
        for (unsigned k = 0; k < SECTS * 128; k++)
            buf[k] = 0x5A000000u | n << 9 | k;
        off_t lba = (off_t)n * STRIDE + (n * 37) % STRIDE;
        if (pwrite(fd, buf, SECTS * 512, lba * 512) != SECTS * 512) {
            perror("pwrite");
            return 1;
        }
        if (n % BATCH == 0 || n == nmax) {
            if (fdatasync(fd) < 0) {
                perror("fdatasync");
                return 1;
            }
            printf("flushed up to %u\n", n);
            fflush(stdout);
        }
    }
    printf("done %u\n", nmax);
    return 0;
}
