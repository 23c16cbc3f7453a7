/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-state.c: the runtime state file of a running domain and
 * re-attaching to the QEMU processes they describe.
 *
 * <run_dir>/<name>.state is a JSON object:
 *   { "name": "web1", "uuid": "...", "pid": 1234, "start_time": 5678,
 *     "monitor": "/run/vmm/qemu/web1.monitor", "state": 1, "reason": 1,
 *     "state_name": "running", "reason_name": "booted",
 *     "xml": "<domain ...>...</domain>" }
 * "state" and "reason" are the public VmmDomainState and reason numbers
 * (the *_name fields are for people reading the file). "start_time" is
 * field 22 of /proc/PID/stat, so a recycled pid is never taken for QEMU.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qemu-process-priv.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

#define STATE_FILE_MAX (16u * 1024 * 1024)
#define STATE_SUFFIX ".state"

DEFINE_CLEANUP(json_object, json_object_put)

typedef struct StateWrite {
        uv_work_t req;
        VmmQemuProcess *proc; /* a reference */
        char *text;
        VmmError error;
} StateWrite;

static void state_write_work(uv_work_t *req)
{
        StateWrite *w = container_of(req, StateWrite, req);

        vmm_file_write_atomic(w->proc->state_path, w->text, strlen(w->text), 0600, &w->error);
}

static int state_write_queue(VmmQemuProcess *proc, char *text);

static void state_write_done(uv_work_t *req, int status)
{
        StateWrite *w = container_of(req, StateWrite, req);
        VmmQemuProcess *proc = w->proc;

        if (vmm_error_is_set(&w->error))
                vmm_log_warning("domain '%s': %s, ignoring", proc->name, w->error.message);
        else
                proc->state_written = true;
        vmm_error_clear(&w->error);
        free(w->text);
        free(w);
        proc->state_writing = false;
        if (proc->state_removed)
                unlink(proc->state_path);
        else if (proc->state_next)
                state_write_queue(proc, TAKE_PTR(proc->state_next));
        if (proc->start_ok_pending && (proc->state_written || !proc->state_writing)) {
                proc->start_ok_pending = false;
                vmm_qemu_process_start_finish(proc, 0, NULL);
        }
        if (proc->exit_deferred && !proc->state_writing) {
                proc->exit_deferred = false;
                vmm_qemu_process_exited(proc);
        }
        vmm_qemu_process_unref(proc);
}

/* Takes `text`. */
static int state_write_queue(VmmQemuProcess *proc, char *text)
{
        StateWrite *w = calloc(1, sizeof(*w));

        if (!w) {
                free(text);
                return -ENOMEM;
        }
        w->proc = vmm_qemu_process_ref(proc);
        w->text = text;
        w->error = (VmmError)VMM_ERROR_INIT;
        proc->state_writing = true;
        if (uv_queue_work(proc->loop, &w->req, state_write_work, state_write_done) < 0) {
                /* cannot happen with a live loop; write here then */
                state_write_work(&w->req);
                state_write_done(&w->req, 0);
        }
        return 0;
}

static char *state_format(VmmQemuProcess *proc)
{
        _cleanup_(json_object_putp) json_object *o = json_object_new_object();
        const char *text;

        if (!o)
                return NULL;
        json_object_object_add(o, "name", json_object_new_string(proc->name));
        json_object_object_add(o, "uuid", json_object_new_string(proc->uuid_str));
        json_object_object_add(o, "pid", json_object_new_int64(proc->pid));
        json_object_object_add(o, "start_time", json_object_new_uint64(proc->start_time));
        json_object_object_add(o, "monitor", json_object_new_string(proc->monitor_path));
        json_object_object_add(o, "state", json_object_new_int(proc->state));
        json_object_object_add(o, "reason", json_object_new_int(proc->reason));
        json_object_object_add(o, "state_name",
                               json_object_new_string(vmm_domain_state_to_string(proc->state)));
        json_object_object_add(
            o, "reason_name",
            json_object_new_string(vmm_domain_state_reason_to_string(proc->state, proc->reason)));
        json_object_object_add(o, "xml", json_object_new_string(proc->xml));
        text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
        return text ? strdup(text) : NULL;
}

int vmm_qemu_process_write_state(VmmQemuProcess *proc, VmmError *error)
{
        char *text;
        int r;

        if (proc->state_removed)
                return 0;
        if (!proc->xml) {
                r = vmm_domain_def_format(proc->def, 0, &proc->xml, error);
                if (r < 0)
                        return vmm_error_prefix(error, r, "domain '%s': state file: ", proc->name);
        }
        text = state_format(proc);
        if (!text)
                return vmm_error_oom(error);
        if (proc->state_writing) {
                free(proc->state_next);
                proc->state_next = text;
                return 0;
        }
        if (state_write_queue(proc, text) < 0)
                return vmm_error_oom(error);
        return 0;
}

void vmm_qemu_process_remove_state(VmmQemuProcess *proc)
{
        proc->state_removed = true;
        proc->state_next = (free(proc->state_next), NULL);
        unlink(proc->state_path);
}

/* What a state file says. */
typedef struct StateFile {
        const char *name;
        const char *xml;
        long long pid;
        unsigned long long start_time;
        int state;
        int reason;
} StateFile;

/* The member `key` of type `type`, or NULL. */
static json_object *state_member(json_object *o, const char *key, json_type type)
{
        json_object *v = NULL;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
                return NULL;
        return v;
}

static int state_parse(const char *path, json_object *o, StateFile *sf, VmmError *error)
{
        static const struct {
                const char *key;
                json_type type;
        } fields[] = {
            {"name", json_type_string},    {"xml", json_type_string}, {"pid", json_type_int},
            {"start_time", json_type_int}, {"state", json_type_int},  {"reason", json_type_int},
        };

        if (!json_object_is_type(o, json_type_object))
                return vmm_error_set(error, -EBADMSG, VMM_ERR_INTERNAL,
                                     "state file \"%s\": not a JSON object", path);
        for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
                if (!state_member(o, fields[i].key, fields[i].type))
                        return vmm_error_set(error, -EBADMSG, VMM_ERR_INTERNAL,
                                             "state file \"%s\": \"%s\" is missing or not "
                                             "a %s",
                                             path, fields[i].key,
                                             json_type_to_name(fields[i].type));
        sf->name = json_object_get_string(state_member(o, "name", json_type_string));
        sf->xml = json_object_get_string(state_member(o, "xml", json_type_string));
        sf->pid = json_object_get_int64(state_member(o, "pid", json_type_int));
        sf->start_time = json_object_get_uint64(state_member(o, "start_time", json_type_int));
        sf->state = json_object_get_int(state_member(o, "state", json_type_int));
        sf->reason = json_object_get_int(state_member(o, "reason", json_type_int));
        if (sf->pid <= 1 || sf->pid > 0x7fffffff)
                return vmm_error_set(error, -EBADMSG, VMM_ERR_INTERNAL,
                                     "state file \"%s\": pid %lld is not a process id", path,
                                     sf->pid);
        if (sf->state <= VMM_DOMAIN_NOSTATE || sf->state >= _VMM_DOMAIN_STATE_MAX)
                return vmm_error_set(error, -EBADMSG, VMM_ERR_INTERNAL,
                                     "state file \"%s\": state %d is not a domain state", path,
                                     sf->state);
        return 0;
}

/* Whether `pid` is still the QEMU the state file describes. */
static bool state_pid_matches(const VmmQemuProcess *proc, const StateFile *sf)
{
        unsigned long long start_time;

        if (vmm_qemu_proc_start_time((pid_t)sf->pid, &start_time) < 0)
                return false;
        if (start_time != sf->start_time) {
                vmm_log_debug("domain '%s': pid %lld was reused (start time %llu, expected "
                              "%llu)",
                              proc->name, sf->pid, start_time, sf->start_time);
                return false;
        }
        return vmm_qemu_proc_cmdline_has((pid_t)sf->pid, proc->uuid_str);
}

/* QEMU died while nobody watched: forget it, report shutoff/crashed. */
static void attach_dead(VmmQemuProcess *proc)
{
        vmm_log_debug("domain '%s': QEMU pid %d is gone", proc->name, (int)proc->pid);
        vmm_qemu_process_remove_files(proc);
        proc->phase = QEMU_PROCESS_ACTIVE;
        vmm_qemu_process_set_state(proc, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_CRASHED);
        vmm_qemu_process_detach(proc);
}

static int attach_live(VmmQemuManager *mgr, VmmQemuProcess *proc, VmmError *error)
{
        int st, r;

        proc->pidfd = vmm_qemu_pidfd_open(proc->pid);
        if (proc->pidfd < 0) {
                attach_dead(proc);
                return 0;
        }
        /* still our child when the manager was recreated in this process */
        proc->is_child = waitpid(proc->pid, &st, WNOHANG) == 0;
        proc->phase = QEMU_PROCESS_ATTACHING;
        r = vmm_qemu_process_watch(proc, error);
        if (r >= 0)
                r = vmm_qemu_manager_add(mgr, proc, error);
        if (r < 0) {
                vmm_qemu_process_detach(proc);
                return r;
        }
        vmm_qemu_process_monitor_start(proc, NULL);
        return 1;
}

/* Returns 1 when attached, 0 when found dead or skipped. */
static int attach_one(VmmQemuManager *mgr, const char *path, VmmError *error)
{
        _cleanup_(json_object_putp) json_object *o = NULL;
        _cleanup_(vmm_qemu_process_unrefp) VmmQemuProcess *proc = NULL;
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_free_ char *data = NULL;
        StateFile sf = {0};
        size_t len;
        int r;

        r = vmm_file_read_all(path, STATE_FILE_MAX, &data, &len, error);
        if (r < 0)
                return r;
        o = json_tokener_parse(data);
        if (!o)
                return vmm_error_set(error, -EBADMSG, VMM_ERR_INTERNAL,
                                     "state file \"%s\": not JSON", path);
        r = state_parse(path, o, &sf, error);
        if (r < 0)
                return r;
        r = vmm_domain_def_parse(sf.xml, (size_t)-1, VMM_DOMAIN_DEF_KEEP_UNKNOWN, &def, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "state file \"%s\": ", path);
        if (vmm_qemu_manager_find_by_name(mgr, sf.name))
                return 0; /* already watched */
        r = vmm_qemu_process_alloc(mgr, sf.name, def, &proc, error);
        if (r < 0)
                return r;
        if (strcmp(proc->state_path, path) != 0)
                return vmm_error_set(error, -EBADMSG, VMM_ERR_INTERNAL,
                                     "state file \"%s\" describes domain '%s' (expected it in "
                                     "\"%s\")",
                                     path, sf.name, proc->state_path);
        proc->pid = (pid_t)sf.pid;
        proc->start_time = sf.start_time;
        proc->state = sf.state;
        proc->reason = sf.reason;
        proc->log_offset = -1;
        if (!state_pid_matches(proc, &sf)) {
                attach_dead(proc);
                return 0;
        }
        return attach_live(mgr, proc, error);
}

int vmm_qemu_manager_attach_all(VmmQemuManager *mgr, VmmError *error)
{
        DIR *dir;
        struct dirent *de;
        int attached = 0;

        vmm_check_arg(mgr, error, "mgr");
        dir = opendir(mgr->run_dir);
        if (!dir)
                return vmm_error_set_errno(error, -errno, "cannot read runtime directory \"%s\"",
                                           mgr->run_dir);
        while ((de = readdir(dir))) {
                _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;
                _cleanup_free_ char *path = NULL;
                size_t n = strlen(de->d_name);
                int r;

                /* the temporary file of a write cut short by a daemon
                 * killed in the middle of it */
                if (strstr(de->d_name, STATE_SUFFIX ".tmp-")) {
                        unlinkat(dirfd(dir), de->d_name, 0);
                        continue;
                }
                if (n <= strlen(STATE_SUFFIX) || de->d_name[0] == '.' ||
                    strcmp(de->d_name + n - strlen(STATE_SUFFIX), STATE_SUFFIX) != 0)
                        continue;
                if (asprintf(&path, "%s/%s", mgr->run_dir, de->d_name) < 0) {
                        closedir(dir);
                        return vmm_error_oom(error);
                }
                r = attach_one(mgr, path, &err);
                if (r < 0) {
                        vmm_log_warning("re-attach: %s; removing it", err.message);
                        unlink(path);
                        continue;
                }
                attached += r;
        }
        closedir(dir);
        return attached;
}
