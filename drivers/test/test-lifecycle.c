/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-lifecycle.c: the test driver's domain state machine, as a real
 * hypervisor's:
 *
 *   operation   running              paused               shut off
 *   start       refused              refused              running/booted (paused/user)
 *   shutdown    shut off/shutdown    refused              refused
 *   destroy     shut off/destroyed   shut off/destroyed   refused
 *   suspend     paused/user          refused              refused
 *   resume      refused              running/unpaused     refused
 *   reboot      running/booted       refused              refused
 *   reset       running (unchanged)  paused (unchanged)   refused
 *
 * Refused operations fail with -EBUSY (VMM_ERR_OPERATION_INVALID) and leave
 * the domain as it was. A transient domain disappears when it stops.
 */
#include <errno.h>
#include <stdlib.h>

#include "test-driver.h"
#include "util/error.h"

static uint64_t elapsed_ns(const struct timespec *since)
{
        struct timespec now;
        int64_t ns;

        clock_gettime(CLOCK_MONOTONIC, &now);
        ns = (int64_t)(now.tv_sec - since->tv_sec) * 1000000000 + (now.tv_nsec - since->tv_nsec);
        return ns > 0 ? (uint64_t)ns : 0;
}

uint64_t test_domain_cpu_time(const TestDomain *dom)
{
        if (dom->state == VMM_DOMAIN_RUNNING)
                return dom->cpu_ns + elapsed_ns(&dom->run_since);
        return dom->cpu_ns;
}

int test_domain_run(TestState *state, TestDomain *dom, VmmDomainDef *live, bool paused,
                    VmmError *error)
{
        if (!live) {
                int r = vmm_domain_def_copy(dom->def, &live, error);

                if (r < 0)
                        return vmm_error_prefix(error, r, "start domain '%s': ", dom->obj.name);
        }
        vmm_domain_def_set_id(live, state->next_id);
        vmm_domain_def_free(dom->live);
        dom->live = live;
        dom->id = state->next_id++;
        dom->state = paused ? VMM_DOMAIN_PAUSED : VMM_DOMAIN_RUNNING;
        dom->reason = paused ? VMM_DOMAIN_PAUSED_USER : VMM_DOMAIN_RUNNING_BOOTED;
        dom->cpu_ns = 0;
        clock_gettime(CLOCK_MONOTONIC, &dom->run_since);
        test_event_emit(state, dom, VMM_DOMAIN_EVENT_STARTED, VMM_DOMAIN_EVENT_STARTED_BOOTED);
        if (paused)
                test_event_emit(state, dom, VMM_DOMAIN_EVENT_SUSPENDED,
                                VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
        return 0;
}

/* Stops an active domain; a transient one is removed and freed. */
static void domain_stop(TestState *state, TestDomain *dom, VmmDomainShutoffReason reason)
{
        dom->live = vmm_domain_def_free(dom->live);
        dom->id = -1;
        test_event_emit(state, dom, VMM_DOMAIN_EVENT_STOPPED,
                        reason == VMM_DOMAIN_SHUTOFF_DESTROYED ? VMM_DOMAIN_EVENT_STOPPED_DESTROYED
                                                               : VMM_DOMAIN_EVENT_STOPPED_SHUTDOWN);
        dom->state = VMM_DOMAIN_SHUTOFF;
        dom->reason = reason;
        dom->cpu_ns = 0;
        if (!dom->def)
                test_domain_forget(state, dom);
}

static int refuse(VmmError *error, const TestDomain *dom, const char *what)
{
        return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID, "domain '%s' %s (state: %s)",
                             dom->obj.name, what, vmm_domain_state_to_string(dom->state));
}

static int refuse_not_running(VmmError *error, const TestDomain *dom)
{
        return refuse(error, dom, "is not running");
}

static int check_no_flags(unsigned int flags, const char *op, VmmError *error)
{
        if (flags)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG, "%s: unknown flags 0x%x",
                                     op, flags);
        return 0;
}

/* One state transition, run with the state locked: it either changes the
 * domain or refuses with -EBUSY and leaves it as it was. */
typedef int (*TestTransition)(TestState *state, TestDomain *dom, unsigned int flags,
                              VmmError *error);

static int domain_transition(VmmDomain *handle, unsigned int flags, unsigned int allowed_flags,
                             const char *op, TestTransition transition, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        if ((r = check_no_flags(flags & ~allowed_flags, op, error)) < 0)
                return r;
        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        r = transition(state, dom, flags, error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

static int do_start(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        if (dom->state == VMM_DOMAIN_RUNNING)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "domain '%s' is already running", dom->obj.name);
        if (dom->state != VMM_DOMAIN_SHUTOFF)
                return refuse(error, dom, "is already running");
        if (dom->managed_save_xml)
                return test_save_start_managed(state, dom, flags, error);
        return test_domain_run(state, dom, NULL, flags & VMM_DOMAIN_START_PAUSED, error);
}

static int do_shutdown(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        int r;

        /* A paused guest cannot see the power button. */
        if (dom->state != VMM_DOMAIN_RUNNING)
                return refuse_not_running(error, dom);
        r = test_domain_mode_check(dom, flags, "shutdown", error);
        if (r < 0)
                return r;
        domain_stop(state, dom, VMM_DOMAIN_SHUTOFF_SHUTDOWN);
        return 0;
}

static int do_destroy(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        if (dom->state == VMM_DOMAIN_SHUTOFF)
                return refuse_not_running(error, dom);
        domain_stop(state, dom, VMM_DOMAIN_SHUTOFF_DESTROYED);
        return 0;
}

static int do_suspend(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        if (dom->state == VMM_DOMAIN_PAUSED)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "domain '%s' is already paused", dom->obj.name);
        if (dom->state != VMM_DOMAIN_RUNNING)
                return refuse_not_running(error, dom);
        dom->cpu_ns += elapsed_ns(&dom->run_since);
        dom->state = VMM_DOMAIN_PAUSED;
        dom->reason = VMM_DOMAIN_PAUSED_USER;
        test_event_emit(state, dom, VMM_DOMAIN_EVENT_SUSPENDED, VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
        return 0;
}

static int do_resume(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        if (dom->state != VMM_DOMAIN_PAUSED)
                return refuse(error, dom, "is not paused");
        clock_gettime(CLOCK_MONOTONIC, &dom->run_since);
        dom->state = VMM_DOMAIN_RUNNING;
        dom->reason = VMM_DOMAIN_RUNNING_UNPAUSED;
        test_event_emit(state, dom, VMM_DOMAIN_EVENT_RESUMED, VMM_DOMAIN_EVENT_RESUMED_UNPAUSED);
        return 0;
}

static int do_reboot(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        int r;

        if (dom->state != VMM_DOMAIN_RUNNING)
                return refuse_not_running(error, dom);
        r = test_domain_mode_check(dom, flags, "reboot", error);
        if (r < 0)
                return r;
        dom->reason = VMM_DOMAIN_RUNNING_BOOTED;
        return 0;
}

static int do_reset(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        /* The reset button works on a paused machine too; it stays paused. */
        if (dom->state == VMM_DOMAIN_SHUTOFF)
                return refuse_not_running(error, dom);
        return 0;
}

int test_domain_start(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        return domain_transition(handle, flags, VMM_DOMAIN_START_PAUSED, "start", do_start, error);
}

int test_domain_shutdown(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        return domain_transition(handle, flags,
                                 VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN |
                                     VMM_DOMAIN_SHUTDOWN_GUEST_AGENT,
                                 "shutdown", do_shutdown, error);
}

int test_domain_destroy(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        return domain_transition(handle, flags, 0, "destroy", do_destroy, error);
}

int test_domain_suspend(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        return domain_transition(handle, flags, 0, "suspend", do_suspend, error);
}

int test_domain_resume(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        return domain_transition(handle, flags, 0, "resume", do_resume, error);
}

int test_domain_reboot(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        return domain_transition(handle, flags,
                                 VMM_DOMAIN_REBOOT_ACPI_POWER_BTN | VMM_DOMAIN_REBOOT_GUEST_AGENT,
                                 "reboot", do_reboot, error);
}

int test_domain_reset(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        return domain_transition(handle, flags, 0, "reset", do_reset, error);
}

int test_domain_get_info(VmmDomain *handle, VmmDomainInfo *ret_info, VmmError *error)
{
        const VmmDomainDef *def;
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        def = test_domain_current_def(dom);
        *ret_info = (VmmDomainInfo){
            .state = dom->state,
            .max_memory_kib = vmm_domain_def_get_memory_kib(def),
            .memory_kib = vmm_domain_def_get_current_memory_kib(def),
            .vcpus = vmm_domain_def_get_vcpus(def),
            .cpu_time_ns = test_domain_cpu_time(dom),
        };
        pthread_mutex_unlock(&state->lock);
        return 0;
}

int test_domain_get_state(VmmDomain *handle, VmmDomainState *ret_state, int *ret_reason,
                          VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        *ret_state = dom->state;
        if (ret_reason)
                *ret_reason = dom->reason;
        pthread_mutex_unlock(&state->lock);
        return 0;
}

int test_domain_get_id(VmmDomain *handle, int *ret_id, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        *ret_id = dom->id;
        pthread_mutex_unlock(&state->lock);
        return 0;
}

int test_domain_is_active(VmmDomain *handle, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        r = dom->state != VMM_DOMAIN_SHUTOFF;
        pthread_mutex_unlock(&state->lock);
        return r;
}
