/* Process round trips (bench/raw.sh): the kernel's fork, exec, exit and
 * wait paths, what a shell does for every command.
 *
 *   spawn N [PATH]   N x fork, exec PATH as "true" (default /bin/true: in
 *                    the guest, its static busybox; natively bench/raw.sh
 *                    passes a copy of that busybox), waitpid. Check value:
 *                    the children that exited with status 0. */
#include <sys/wait.h>

#include "common.h"

BENCH_CODE_BEGIN

int main(int argc, char **argv)
{
    long n = bench_units(argc, argv);
    const char *path = argc > 2 ? argv[2] : "/bin/true";
    char *args[] = { "true", NULL };
    uint64_t ok = 0;
    double t0 = bench_begin("spawn");
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0) {
            execv(path, args);
            _exit(127);
        }
        int st;
        if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
            ok++;
    }
    bench_end("spawn", n, t0, ok);
    return 0;
}

BENCH_CODE_END
