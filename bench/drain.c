/*
 * drain - read standard input to the end and exit 0
 *
 * The baseline of bench/postfix-throughput: the cheapest program a
 * Postfix pipe(8) service can run. mxbounce-filter is compared with it.
 */
#include <unistd.h>

int main(void)
{
    char buf[65536];

    while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
        ;
    return 0;
}
