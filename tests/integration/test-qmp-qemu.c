/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qmp-qemu: the QMP client against a real QEMU (TCG, no guest):
 * greeting and capabilities, query-status, cont/stop with their RESUME and
 * STOP events, an error reply for an unknown command, and quit with the
 * SHUTDOWN event and the monitor's EOF. Skips (77) without
 * qemu-system-x86_64.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qmp.h"

extern char **environ;

typedef struct Ctx {
        uv_loop_t loop;
        VmmQmp *qmp;
        bool ready, closed, done;
        int closed_error;
        int status;
        char text[256];
        char events[512];
} Ctx;

static int failures;

#define CHECK(cond, ...)                                                   \
        do {                                                               \
                if (!(cond)) {                                             \
                        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
                        fprintf(stderr, __VA_ARGS__);                      \
                        fprintf(stderr, "\n");                             \
                        failures++;                                        \
                }                                                          \
        } while (0)

static void on_ready(VmmQmp *qmp, json_object *version, void *userdata)
{
        ((Ctx *)userdata)->ready = true;
}

static void on_event(VmmQmp *qmp, const char *name, json_object *data, int64_t s, int64_t us,
                     void *userdata)
{
        Ctx *ctx = userdata;

        strncat(ctx->events, name, sizeof(ctx->events) - strlen(ctx->events) - 2);
        strcat(ctx->events, " ");
}

static void on_closed(VmmQmp *qmp, int error, const char *message, void *userdata)
{
        Ctx *ctx = userdata;

        ctx->closed = true;
        ctx->closed_error = error;
}

static const VmmQmpCallbacks callbacks = { on_ready, on_event, on_closed };

static void on_reply(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                     const char *message, void *userdata)
{
        Ctx *ctx = userdata;
        json_object *st = NULL;

        ctx->done = true;
        ctx->status = status;
        ctx->text[0] = '\0';
        if (ret && json_object_object_get_ex(ret, "status", &st))
                snprintf(ctx->text, sizeof(ctx->text), "%s", json_object_get_string(st));
        else if (status < 0)
                snprintf(ctx->text, sizeof(ctx->text), "%s", message);
}

static bool run_until(Ctx *ctx, const bool *flag, int ms)
{
        uint64_t start;

        uv_update_time(&ctx->loop);
        start = uv_now(&ctx->loop);
        while (!*flag) {
                uv_run(&ctx->loop, UV_RUN_ONCE);
                uv_update_time(&ctx->loop);
                if (uv_now(&ctx->loop) - start > (uint64_t)ms)
                        return false;
        }
        return true;
}

static int exec_wait(Ctx *ctx, const char *cmd)
{
        VmmError err = VMM_ERROR_INIT;

        ctx->done = false;
        if (vmm_qmp_execute(ctx->qmp, cmd, NULL, 5000, on_reply, ctx, NULL, &err) < 0) {
                fprintf(stderr, "%s\n", vmm_error_message(&err));
                vmm_error_clear(&err);
                return -1;
        }
        return run_until(ctx, &ctx->done, 6000) ? ctx->status : -ETIMEDOUT;
}

/* Until QEMU listens on `path` (the file appears at bind, before listen:
 * a connect then is refused), as the driver's monitor retries do. */
static bool wait_listening(const char *path, int ms)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        if (strlen(path) >= sizeof(sa.sun_path))
                return false;
        memcpy(sa.sun_path, path, strlen(path) + 1);
        for (int waited = 0; waited < ms; waited += 10) {
                int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;

                if (fd >= 0)
                        close(fd);
                if (ok)
                        return true;
                usleep(10000);
        }
        return false;
}

/* QEMU's exit status, killing it when it does not quit on its own within
 * `ms` (so a failed run reports instead of hanging). */
static int reap(pid_t pid, int ms, bool *ret_killed)
{
        int status = 0;

        *ret_killed = false;
        for (int waited = 0; waited < ms; waited += 10) {
                if (waitpid(pid, &status, WNOHANG) == pid)
                        return status;
                usleep(10000);
        }
        *ret_killed = true;
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return status;
}

static const char *find_qemu(void)
{
        static const char *const paths[] = { "/usr/bin/qemu-system-x86_64",
                                             "/usr/local/bin/qemu-system-x86_64" };

        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
                if (access(paths[i], X_OK) == 0)
                        return paths[i];
        return NULL;
}

int main(void)
{
        const char *qemu = find_qemu();
        char dir[] = "/tmp/vmm-qmp-XXXXXX", sock[256], qmparg[300];
        VmmError err = VMM_ERROR_INIT;
        Ctx ctx = { 0 };
        bool killed = false;
        pid_t pid;
        int status;

        if (!qemu) {
                printf("SKIP: qemu-system-x86_64 is not installed\n");
                return 77;
        }
        if (!mkdtemp(dir))
                return 1;
        snprintf(sock, sizeof(sock), "%s/qmp.sock", dir);
        snprintf(qmparg, sizeof(qmparg), "unix:%s,server=on,wait=off", sock);
        {
                char *const argv[] = { (char *)qemu, "-machine", "pc", "-accel", "tcg",
                                       "-nodefaults", "-display", "none", "-m", "64", "-S",
                                       "-qmp", qmparg, NULL };
                if (posix_spawn(&pid, qemu, NULL, NULL, argv, environ) != 0) {
                        perror("posix_spawn");
                        return 1;
                }
        }
        if (!wait_listening(sock, 20000)) {
                fprintf(stderr, "FAIL: QEMU did not listen on %s within 20 s\n", sock);
                reap(pid, 0, &killed);
                return 1;
        }

        uv_loop_init(&ctx.loop);
        if (vmm_qmp_new(&ctx.loop, "qemu-test", &callbacks, &ctx, &ctx.qmp, &err) < 0 ||
            vmm_qmp_connect(ctx.qmp, sock, 5000, &err) < 0) {
                fprintf(stderr, "%s\n", vmm_error_message(&err));
                reap(pid, 0, &killed);
                return 1;
        }
        CHECK(run_until(&ctx, &ctx.ready, 6000), "monitor not ready");
        CHECK(exec_wait(&ctx, "query-status") == 0 && strcmp(ctx.text, "prelaunch") == 0,
              "query-status: %s", ctx.text);
        CHECK(exec_wait(&ctx, "cont") == 0, "cont: %s", ctx.text);
        CHECK(exec_wait(&ctx, "query-status") == 0 && strcmp(ctx.text, "running") == 0,
              "after cont: %s", ctx.text);
        CHECK(exec_wait(&ctx, "stop") == 0, "stop: %s", ctx.text);
        CHECK(exec_wait(&ctx, "query-status") == 0 && strcmp(ctx.text, "paused") == 0,
              "after stop: %s", ctx.text);
        CHECK(exec_wait(&ctx, "no-such-command") == -EIO &&
                      strstr(ctx.text, "'no-such-command' on qemu-test failed"),
              "unknown command: %s", ctx.text);
        CHECK(strstr(ctx.events, "RESUME") && strstr(ctx.events, "STOP"), "events: %s",
              ctx.events);
        exec_wait(&ctx, "quit");
        CHECK(run_until(&ctx, &ctx.closed, 5000), "monitor did not close after quit");
        CHECK(ctx.closed_error == 0, "close error %d", ctx.closed_error);
        CHECK(strstr(ctx.events, "SHUTDOWN") != NULL, "no SHUTDOWN event: %s", ctx.events);
        vmm_qmp_close(ctx.qmp);
        uv_run(&ctx.loop, UV_RUN_DEFAULT);
        CHECK(uv_loop_close(&ctx.loop) == 0, "loop not closed cleanly");
        status = reap(pid, 10000, &killed);
        CHECK(!killed, "QEMU did not exit within 10 s of quit (killed)");
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "qemu exit status %d", status);
        unlink(sock);
        rmdir(dir);
        printf("%s\n", failures ? "FAILED" : "ok");
        return failures ? 1 : 0;
}
