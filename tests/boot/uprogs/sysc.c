/* System calls in a loop: getpid (the syscall and glibc's), getppid,
 * clock_gettime on five clocks and gettimeofday (through the vDSO where
 * there is one), RDTSC, reads of /proc/self/stat checked against getpid /
 * getppid, open/read/write/lseek/fstat/dup/close, a pipe round trip,
 * sched_yield, getrusage and short nanosleeps. Clock values are only
 * checked (monotonic, a sleep lasts at least what was asked), never
 * printed; what is printed is the number of each check that passed. */
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "uprog.h"

#define ITER 1200

static int64_t ns(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* /proc/self/stat: "pid (comm) state ppid ..." -> 0 if pid, state and
 * ppid are as expected. */
static int check_stat(int fd, pid_t pid, pid_t ppid)
{
    char buf[1024];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    char *rp = strrchr(buf, ')');
    if (!rp || atoi(buf) != pid)
        return -2;
    char state;
    int pp;
    if (sscanf(rp + 1, " %c %d", &state, &pp) != 2)
        return -3;
    return state == 'R' && pp == ppid ? 0 : -4;
}

int main(void)
{
    uprog_name = "sysc";
    static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME,
                                        CLOCK_MONOTONIC_RAW, CLOCK_PROCESS_CPUTIME_ID };
#define NCLK (int)(sizeof clocks / sizeof clocks[0])
    int64_t last[NCLK] = { 0 };
    int clock_ok = 0, pid_ok = 0, stat_ok = 0, io_ok = 0, sleep_ok = 0, tsc_ok = 0, tod_ok = 0;
    pid_t pid = getpid(), ppid = getppid();
    int stat_fd = open("/proc/self/stat", O_RDONLY);
    int null_fd = open("/dev/null", O_WRONLY);
    char tmp[] = "/tmp/uprog-sysc-XXXXXX";
    int tmp_fd = mkstemp(tmp);
    int p[2];
    if (stat_fd < 0 || null_fd < 0 || tmp_fd < 0 || pipe(p) != 0) {
        fail("open/mkstemp/pipe");
        return finish();
    }
    unlink(tmp);
    uint64_t tsc0 = rdtsc();
    struct timeval tv0;
    gettimeofday(&tv0, NULL);
    int64_t tod_last = (int64_t)tv0.tv_sec * 1000000 + tv0.tv_usec;

    for (int i = 0; i < ITER; i++) {
        pid_ok += syscall(SYS_getpid) == pid && getpid() == pid && getppid() == ppid;
        for (int c = 0; c < NCLK; c++) {
            struct timespec t;
            if (clock_gettime(clocks[c], &t) == 0 && ns(&t) >= last[c]) {
                clock_ok++;
                last[c] = ns(&t);
            }
        }
        struct timeval tv;
        gettimeofday(&tv, NULL);
        int64_t tod = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
        tod_ok += tod >= tod_last;
        tod_last = tod;
        uint64_t tsc = rdtsc();
        tsc_ok += tsc >= tsc0;
        tsc0 = tsc;

        if (i % 10 == 0)
            stat_ok += check_stat(stat_fd, pid, ppid) == 0;
        if (i % 5 == 0) {
            char b[64], r[64];
            int len = snprintf(b, sizeof b, "line %d\n", i);
            struct stat st;
            int fd2 = dup(tmp_fd);
            int ok = write(null_fd, b, (size_t)len) == len && write(p[1], b, (size_t)len) == len &&
                     read(p[0], r, sizeof r) == len && memcmp(b, r, (size_t)len) == 0 &&
                     pwrite(tmp_fd, b, (size_t)len, i) == len && lseek(fd2, i, SEEK_SET) == i &&
                     read(fd2, r, (size_t)len) == len && memcmp(b, r, (size_t)len) == 0 &&
                     fstat(fd2, &st) == 0 && st.st_size == i + len && close(fd2) == 0;
            io_ok += ok;
        }
        if (i % 100 == 0) {
            sched_yield();
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
        }
        if (i % 300 == 0) {
            struct timespec a, b, d = { 0, 2000000 };
            clock_gettime(CLOCK_MONOTONIC, &a);
            nanosleep(&d, NULL);
            clock_gettime(CLOCK_MONOTONIC, &b);
            sleep_ok += ns(&b) - ns(&a) >= 2000000;
        }
    }
    CHECK(pid_ok == ITER, "getpid agreed %d times of %d", pid_ok, ITER);
    CHECK(clock_ok == ITER * NCLK, "clocks monotonic %d times of %d", clock_ok, ITER * NCLK);
    CHECK(tod_ok == ITER, "gettimeofday monotonic %d times of %d", tod_ok, ITER);
    CHECK(tsc_ok == ITER, "RDTSC monotonic %d times of %d", tsc_ok, ITER);
    CHECK(stat_ok == ITER / 10, "/proc/self/stat right %d times of %d", stat_ok, ITER / 10);
    CHECK(io_ok == ITER / 5, "file and pipe I/O right %d times of %d", io_ok, ITER / 5);
    CHECK(sleep_ok == ITER / 300, "nanosleep long enough %d times of %d", sleep_ok, ITER / 300);
    say("getpid %d clocks %d gettimeofday %d rdtsc %d stat %d io %d sleeps %d", pid_ok, clock_ok,
        tod_ok, tsc_ok, stat_ok, io_ok, sleep_ok);
    struct timespec res;
    CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0,
          "clock_getres");
    time_t t1 = time(NULL);
    CHECK(t1 >= tv0.tv_sec, "time() went backwards");
    return finish();
}
