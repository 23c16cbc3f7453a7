/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake-activated: a minimal socket-activated daemon for the spawner's
 * tests. It takes its sockets the systemd way (sd_listen_fds_with_names),
 * answers every connection with "<fdname> <pid>\n" and exits after
 * IDLE_MS (argv[1], default 500) without a new connection.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        int idle_ms = argc > 1 ? atoi(argv[1]) : 500;
        char **names = NULL;
        int n = sd_listen_fds_with_names(1, &names);
        struct pollfd pfd[2];

        signal(SIGPIPE, SIG_IGN); /* a client may close before reading */

        if (n < 1 || n > 2) {
                fprintf(stderr, "fake-activated: expected 1 or 2 sockets, got %d\n", n);
                return 2;
        }
        for (int i = 0; i < n; i++) {
                pfd[i].fd = SD_LISTEN_FDS_START + i;
                pfd[i].events = POLLIN;
        }
        for (;;) {
                int r = poll(pfd, (nfds_t)n, idle_ms);

                if (r <= 0)
                        return 0; /* idle */
                for (int i = 0; i < n; i++) {
                        char line[128];
                        int c;

                        if (!(pfd[i].revents & POLLIN))
                                continue;
                        c = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC);
                        if (c < 0)
                                continue;
                        snprintf(line, sizeof(line), "%s %d\n", names[i], (int)getpid());
                        if (write(c, line, strlen(line)) < 0)
                                perror("write");
                        close(c);
                }
        }
}
