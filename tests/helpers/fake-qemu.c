/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake-qemu: a stand-in for qemu-system-x86_64 in the process manager's
 * unit tests: cheap, fast, deterministic. It opens the QMP server socket
 * named on its command line (-qmp unix:PATH,server=on,wait=off, or
 * -chardev socket,...,path=PATH,server=on,...), serves one client at a
 * time (a new one after the previous left, as QEMU does), and answers:
 *   qmp_capabilities, cont (RESUME), stop (STOP), query-status,
 *   system_powerdown (POWERDOWN; then the "guest" powers off: SHUTDOWN
 *   guest=true and exit 0, or pause when set-action shutdown=pause),
 *   system_reset (RESET), set-action, query-balloon, balloon, quit.
 * SIGTERM: SHUTDOWN (host-signal) and exit 0, like QEMU.
 * Test switches (ignored by the manager):
 *   -fake-exit STATUS     print an error to stderr and exit at once
 *   -fake-no-monitor      never open the monitor socket
 *   -fake-ignore-acpi     the "guest" ignores the power button
 *   -fake-ignore-term     ignore SIGTERM (only SIGKILL ends it)
 *   -fake-hang            accept the monitor but never greet
 *   -fake-want-fd N       exit 1 unless fd N was inherited
 *   -fake-no-fd N         exit 1 if fd N was inherited
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* It exits from anywhere, as QEMU does: no leak report under ASan. */
const char *__asan_default_options(void) __attribute__((visibility("default"), used));
const char *__asan_default_options(void)
{
        return "detect_leaks=0";
}

static int client = -1;
static bool paused, shut_down, ignore_acpi, hang, pause_on_shutdown;
static long long balloon_bytes = 64LL << 20;

static void send_json(json_object *o)
{
        const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        char *line = NULL;
        int n = asprintf(&line, "%s\r\n", s);

        /* one write per message; a client that left gets EPIPE (SIGPIPE is
         * ignored, as QEMU does) */
        if (client >= 0 && n > 0) {
                if (write(client, line, (size_t)n) != n) {
                        close(client);
                        client = -1;
                }
        }
        free(line);
        json_object_put(o);
}

static void send_event(const char *name, json_object *data)
{
        json_object *o = json_object_new_object(), *ts = json_object_new_object();

        json_object_object_add(ts, "seconds", json_object_new_int64(1));
        json_object_object_add(ts, "microseconds", json_object_new_int64(2));
        json_object_object_add(o, "event", json_object_new_string(name));
        if (data)
                json_object_object_add(o, "data", data);
        json_object_object_add(o, "timestamp", ts);
        send_json(o);
}

static void send_shutdown(bool guest, const char *reason)
{
        json_object *d = json_object_new_object();

        json_object_object_add(d, "guest", json_object_new_boolean(guest));
        json_object_object_add(d, "reason", json_object_new_string(reason));
        send_event("SHUTDOWN", d);
}

static void send_return(json_object *id, json_object *ret)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "return", ret ? ret : json_object_new_object());
        if (id)
                json_object_object_add(o, "id", json_object_get(id));
        send_json(o);
}

static void send_error(json_object *id, const char *cls, const char *desc)
{
        json_object *o = json_object_new_object(), *e = json_object_new_object();

        json_object_object_add(e, "class", json_object_new_string(cls));
        json_object_object_add(e, "desc", json_object_new_string(desc));
        json_object_object_add(o, "error", e);
        if (id)
                json_object_object_add(o, "id", json_object_get(id));
        send_json(o);
}

static void guest_powers_off(void)
{
        send_shutdown(true, "guest-shutdown");
        if (pause_on_shutdown) {
                paused = true;
                shut_down = true;
                send_event("STOP", NULL);
                return;
        }
        exit(0);
}

static json_object *status_reply(void)
{
        json_object *r = json_object_new_object();

        json_object_object_add(r, "running", json_object_new_boolean(!paused));
        json_object_object_add(r, "singlestep", json_object_new_boolean(false));
        json_object_object_add(r, "status",
                               json_object_new_string(shut_down ? "shutdown"
                                                      : paused  ? "paused"
                                                                : "running"));
        return r;
}

static void handle_set_action(json_object *id, json_object *args)
{
        json_object *v = NULL;

        if (json_object_object_get_ex(args, "shutdown", &v))
                pause_on_shutdown = strcmp(json_object_get_string(v), "pause") == 0;
        send_return(id, NULL);
}

static void handle_command(json_object *msg)
{
        json_object *id = NULL, *ex = NULL, *args = NULL;
        const char *cmd;

        json_object_object_get_ex(msg, "id", &id);
        json_object_object_get_ex(msg, "arguments", &args);
        if (!json_object_object_get_ex(msg, "execute", &ex)) {
                send_error(id, "GenericError", "no execute");
                return;
        }
        cmd = json_object_get_string(ex);
        if (strcmp(cmd, "qmp_capabilities") == 0 || strcmp(cmd, "balloon") == 0) {
                json_object *v = NULL;

                if (json_object_object_get_ex(args, "value", &v))
                        balloon_bytes = json_object_get_int64(v);
                send_return(id, NULL);
        } else if (strcmp(cmd, "cont") == 0) {
                if (paused) {
                        paused = false;
                        shut_down = false;
                        send_event("RESUME", NULL);
                }
                send_return(id, NULL);
        } else if (strcmp(cmd, "stop") == 0) {
                if (!paused) {
                        paused = true;
                        send_event("STOP", NULL);
                }
                send_return(id, NULL);
        } else if (strcmp(cmd, "query-status") == 0) {
                send_return(id, status_reply());
        } else if (strcmp(cmd, "system_powerdown") == 0) {
                send_event("POWERDOWN", NULL);
                send_return(id, NULL);
                if (!ignore_acpi && !paused)
                        guest_powers_off();
        } else if (strcmp(cmd, "system_reset") == 0) {
                json_object *d = json_object_new_object();

                json_object_object_add(d, "guest", json_object_new_boolean(false));
                json_object_object_add(d, "reason",
                                       json_object_new_string("host-qmp-system-reset"));
                send_event("RESET", d);
                shut_down = false;
                send_return(id, NULL);
        } else if (strcmp(cmd, "set-action") == 0) {
                handle_set_action(id, args);
        } else if (strcmp(cmd, "query-balloon") == 0) {
                json_object *r = json_object_new_object();

                json_object_object_add(r, "actual", json_object_new_int64(balloon_bytes));
                send_return(id, r);
        } else if (strcmp(cmd, "quit") == 0) {
                send_return(id, NULL);
                send_shutdown(false, "host-qmp-quit");
                exit(0);
        } else {
                char desc[256];

                snprintf(desc, sizeof(desc), "The command %s has not been found", cmd);
                send_error(id, "CommandNotFound", desc);
        }
}

static void client_greet(void)
{
        json_object *o = json_object_new_object(), *q = json_object_new_object();
        json_object *v = json_object_new_object(), *qemu = json_object_new_object();

        json_object_object_add(qemu, "major", json_object_new_int(7));
        json_object_object_add(qemu, "minor", json_object_new_int(2));
        json_object_object_add(qemu, "micro", json_object_new_int(0));
        json_object_object_add(v, "qemu", qemu);
        json_object_object_add(v, "package", json_object_new_string("fake"));
        json_object_object_add(q, "version", v);
        json_object_object_add(q, "capabilities", json_object_new_array());
        json_object_object_add(o, "QMP", q);
        send_json(o);
}

static void client_read(json_tokener *tok)
{
        char buf[4096];
        ssize_t n = read(client, buf, sizeof(buf));
        size_t off = 0;

        if (n <= 0) {
                close(client);
                client = -1;
                json_tokener_reset(tok);
                return;
        }
        while (off < (size_t)n && client >= 0) {
                json_object *o;

                if (buf[off] == '\r' || buf[off] == '\n' || buf[off] == ' ') {
                        off++;
                        continue;
                }
                o = json_tokener_parse_ex(tok, buf + off, (int)((size_t)n - off));
                if (json_tokener_get_error(tok) == json_tokener_continue)
                        return;
                if (!o) {
                        send_error(NULL, "GenericError", "JSON parse error");
                        json_tokener_reset(tok);
                        return;
                }
                off += json_tokener_get_parse_end(tok);
                json_tokener_reset(tok);
                handle_command(o);
                json_object_put(o);
        }
}

static const char *monitor_path(int argc, char **argv)
{
        static char path[512];

        for (int i = 1; i + 1 < argc; i++) {
                const char *a = argv[i + 1], *p;

                if (strcmp(argv[i], "-qmp") == 0 && strncmp(a, "unix:", 5) == 0)
                        p = a + 5;
                else if (strcmp(argv[i], "-chardev") == 0 && strncmp(a, "socket,", 7) == 0 &&
                         (p = strstr(a, ",path=")))
                        p += 6;
                else
                        continue;
                snprintf(path, sizeof(path), "%.*s", (int)strcspn(p, ","), p);
                return path;
        }
        return NULL;
}

static int listen_on(const char *path)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (strlen(path) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "fake-qemu: -qmp %s: path too long\n", path);
                exit(1);
        }
        memcpy(sa.sun_path, path, strlen(path) + 1);
        unlink(path);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
                fprintf(stderr, "fake-qemu: -qmp %s: %s\n", path, strerror(errno));
                exit(1);
        }
        return fd;
}

int main(int argc, char **argv)
{
        const char *path = monitor_path(argc, argv);
        bool no_monitor = false, ignore_term = false;
        json_tokener *tok;
        int lfd = -1, sfd;
        sigset_t mask;

        paused = false;
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "-S") == 0)
                        paused = true;
                else if (strcmp(argv[i], "-fake-exit") == 0 && i + 1 < argc) {
                        fprintf(stderr, "fake-qemu: -drive file=/nonexistent: Could not open "
                                        "'/nonexistent': No such file or directory\n");
                        return atoi(argv[i + 1]);
                } else if (strcmp(argv[i], "-fake-no-monitor") == 0)
                        no_monitor = true;
                else if (strcmp(argv[i], "-fake-ignore-acpi") == 0)
                        ignore_acpi = true;
                else if (strcmp(argv[i], "-fake-ignore-term") == 0)
                        ignore_term = true;
                else if (strcmp(argv[i], "-fake-hang") == 0)
                        hang = true;
                else if (strcmp(argv[i], "-fake-want-fd") == 0 && i + 1 < argc &&
                         fcntl(atoi(argv[i + 1]), F_GETFD) < 0) {
                        fprintf(stderr, "fake-qemu: fd %s was not passed\n", argv[i + 1]);
                        return 1;
                } else if (strcmp(argv[i], "-fake-no-fd") == 0 && i + 1 < argc &&
                           fcntl(atoi(argv[i + 1]), F_GETFD) >= 0) {
                        fprintf(stderr, "fake-qemu: fd %s leaked into QEMU\n", argv[i + 1]);
                        return 1;
                }
        }
        tok = json_tokener_new();
        signal(SIGPIPE, SIG_IGN);
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        if (ignore_term)
                signal(SIGTERM, SIG_IGN);
        else
                sigprocmask(SIG_BLOCK, &mask, NULL);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC);
        if (!no_monitor) {
                if (!path) {
                        fprintf(stderr, "fake-qemu: no -qmp unix:PATH given\n");
                        return 1;
                }
                lfd = listen_on(path);
        }
        for (;;) {
                struct pollfd p[2] = {
                    {.fd = client >= 0 ? client : lfd, .events = POLLIN},
                    {.fd = ignore_term ? -1 : sfd, .events = POLLIN},
                };

                if (poll(p, 2, -1) < 0 && errno != EINTR)
                        return 1;
                if (p[1].revents & POLLIN) {
                        send_shutdown(false, "host-signal");
                        return 0;
                }
                if (!(p[0].revents & (POLLIN | POLLHUP)))
                        continue;
                if (client < 0) {
                        client = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                        if (client >= 0 && !hang)
                                client_greet();
                } else if (!hang) {
                        client_read(tok);
                } else {
                        char buf[256];

                        if (read(client, buf, sizeof(buf)) <= 0) {
                                close(client);
                                client = -1;
                        }
                }
        }
}
