/* The rawbox commands (src/cli/). main.c dispatches to one function per
 * command; each prints its own --help and returns the process exit status:
 * 0 ok, 2 for a bad or missing option or file (one line on stderr,
 * "rawbox: <what>: <why>"), otherwise what the command defines. */
#ifndef RAWBOX_CLI_CLI_H
#define RAWBOX_CLI_CLI_H

#define RAWBOX_VERSION "0.1.0"
#define CLI_EXIT_USAGE 2

int cmd_run(int argc, char **argv);     /* argv[0] is "run" */
int cmd_disk(int argc, char **argv);    /* argv[0] is "disk" (disk.c) */

#endif
