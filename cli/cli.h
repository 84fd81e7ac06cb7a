/*
 * cli.h - the subcommands of mxbounce(1) that live in their own files
 */
#ifndef MXB_CLI_H
#define MXB_CLI_H

#define EXIT_USAGE 2

/* mxb_cli_verp - mxbounce verp make|check|new-key; argv[0] is "verp" */
int mxb_cli_verp(int argc, char **argv);

#endif
