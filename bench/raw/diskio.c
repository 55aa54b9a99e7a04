/* Disk throughput inside the guest (bench/disk.sh): a block device opened
 * with O_DIRECT, so the guest's page cache is out of the way and every
 * request reaches the virtual disk.
 *
 *   diskio DEV MIB OPS
 *
 * Sequential: MIB MiB written in 1 MiB requests, then fsync; the same
 * read back. Random: OPS 4 KiB reads at random aligned offsets within the
 * first MIB MiB, then OPS 4 KiB writes and an fsync. Prints
 *   RESULT disk-seq-write MB/s ...   RESULT disk-rand-read IOPS ...
 * and a checksum of what the sequential read saw (the data is a pattern,
 * so a wrong read shows). Times come from the guest's CLOCK_MONOTONIC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: diskio DEV MIB OPS\n");
        return 2;
    }
    const long mib = atol(argv[2]), ops = atol(argv[3]);
    int fd = open(argv[1], O_RDWR | O_DIRECT);
    if (fd < 0)
        die(argv[1]);
    uint8_t *buf;
    if (posix_memalign((void **)&buf, 4096, 1 << 20))
        die("posix_memalign");
    uint64_t sum = 0;

    double t0 = now();
    for (long i = 0; i < mib; i++) {
        for (size_t k = 0; k < (1u << 20); k += 8)
            *(uint64_t *)(buf + k) = (uint64_t)i << 32 | k;
        if (pwrite(fd, buf, 1 << 20, (off_t)i << 20) != 1 << 20)
            die("pwrite");
    }
    if (fsync(fd))
        die("fsync");
    double t1 = now();
    printf("RESULT disk-seq-write MB/s %.1f\n", (double)mib * 1.048576 / (t1 - t0));

    t0 = now();
    for (long i = 0; i < mib; i++) {
        if (pread(fd, buf, 1 << 20, (off_t)i << 20) != 1 << 20)
            die("pread");
        for (size_t k = 0; k < (1u << 20); k += 4096)
            sum += *(uint64_t *)(buf + k);
    }
    t1 = now();
    printf("RESULT disk-seq-read MB/s %.1f\n", (double)mib * 1.048576 / (t1 - t0));

    uint64_t x = 88172645463325252ull;
    const uint64_t blocks = (uint64_t)mib * 256;
    t0 = now();
    for (long i = 0; i < ops; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        if (pread(fd, buf, 4096, (off_t)(x % blocks) * 4096) != 4096)
            die("pread 4k");
    }
    t1 = now();
    printf("RESULT disk-rand-read IOPS %.0f\n", (double)ops / (t1 - t0));

    t0 = now();
    for (long i = 0; i < ops; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        if (pwrite(fd, buf, 4096, (off_t)(x % blocks) * 4096) != 4096)
            die("pwrite 4k");
    }
    if (fsync(fd))
        die("fsync");
    t1 = now();
    printf("RESULT disk-rand-write IOPS %.0f\n", (double)ops / (t1 - t0));
    printf("RESULT disk-check sum %016llx\n", (unsigned long long)sum);
    return 0;
}
