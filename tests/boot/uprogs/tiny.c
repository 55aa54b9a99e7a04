/* The fork/exec stress test's program, and proc's exec target: prints
 * "tiny N H" with H = (N*N*7 + 3) mod 1000003, which a shell can check
 * with its own arithmetic; with no argument, "tiny: ok". Exit status 0. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        puts("tiny: ok");
        return 0;
    }
    long long n = atoll(argv[1]);
    printf("tiny %lld %lld\n", n, (n * n * 7 + 3) % 1000003);
    return 0;
}
