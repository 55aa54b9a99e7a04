/* rawbox: command dispatch. `rawbox COMMAND [options]`; one table of
 * commands, each implemented in its own file (run.c, ...). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    { "run", cmd_run, "boot a virtual PC from a firmware image (rawbox run --help)" },
    { "disk", cmd_disk, "create, inspect, convert, check and resize disk images (rawbox disk --help)" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: rawbox COMMAND [options]\n"
               "       rawbox --help | --version\n\n"
               "rawbox is a PC virtual machine: an x86 interpreter with PC devices.\n\n"
               "commands:\n");
    for (unsigned i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexample:\n  rawbox run --bios build/guest/smoke.bin --debugcon stdio\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "rawbox: missing command (see rawbox --help)\n");
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("rawbox %s\n", RAWBOX_VERSION);
        return 0;
    }
    for (unsigned i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "rawbox: %s: unknown command (see rawbox --help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
