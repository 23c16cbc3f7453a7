/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-e2e-watch: prints every domain lifecycle event of a connection,
 * one line each ("NAME EVENT DETAIL", e.g. "g1 stopped 2"), for the
 * end-to-end scripts (vmmctl has no `event` command yet). Prints "ready"
 * once registered; exits after SECONDS or on SIGTERM.
 *
 *   qemud-e2e-watch URI SECONDS
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <vmm/vmm.h>

static const char *const event_names[] = {
    "defined", "undefined", "started",     "suspended", "resumed",
    "stopped", "shutdown",  "pmsuspended", "crashed",
};

static void on_event(VmmConnect *conn, VmmDomain *dom, int event, int detail, void *userdata)
{
        printf("%s %s %d\n", vmm_domain_get_name(dom),
               event >= 0 && event < (int)(sizeof(event_names) / sizeof(event_names[0]))
                   ? event_names[event]
                   : "unknown",
               detail);
        fflush(stdout);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
        stop = 1;
}

int main(int argc, char **argv)
{
        VmmError err = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        int id, seconds;

        if (argc != 3) {
                fprintf(stderr, "usage: %s URI SECONDS\n", argv[0]);
                return 2;
        }
        seconds = atoi(argv[2]);
        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
        if (vmm_connect_open(argv[1], 0, &conn, &err) < 0 ||
            vmm_connect_domain_event_register(conn, on_event, NULL, NULL, &id, &err) < 0) {
                fprintf(stderr, "qemud-e2e-watch: %s\n", vmm_error_message(&err));
                vmm_connect_close(conn);
                vmm_error_clear(&err);
                return 1;
        }
        printf("ready\n");
        fflush(stdout);
        for (int i = 0; i < seconds * 10 && !stop; i++)
                usleep(100000);
        vmm_connect_domain_event_deregister(conn, id, NULL);
        vmm_connect_close(conn);
        return 0;
}
