/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-save.c: save, restore and managed save in the test driver.
 *
 * `save` writes a real image file in the format of conf/save-image.h (the
 * header with the domain's live XML; the body, QEMU's state in the qemu
 * driver, is empty here) and stops the domain (shut off/saved, event
 * STOPPED/SAVED). `restore` reads such a file and starts the domain from
 * the XML it holds (running/restored, event STARTED/RESTORED), as a
 * transient domain when no definition has its name and UUID. A managed
 * save keeps the image in memory with the domain; `start` resumes from it
 * and drops it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/domain-device.h"
#include "conf/save-image.h"
#include "test-driver.h"
#include "util/cleanup.h"
#include "util/error.h"

/* The XML to store: `dxml` checked, else the live definition. */
static int save_xml(const TestDomain *dom, const char *dxml, char **ret_xml, VmmError *error)
{
        if (dxml)
                return vmm_save_image_check_dxml(dxml, dom->obj.name, dom->obj.uuid, ret_xml,
                                                 error);
        return vmm_domain_def_format(
            dom->live, VMM_DOMAIN_DEVICES_FORMAT_SECURE | VMM_DOMAIN_DEF_INACTIVE, ret_xml, error);
}

static int save_check_active(const TestDomain *dom, const char *op, VmmError *error)
{
        if (dom->state == VMM_DOMAIN_SHUTOFF || !dom->live)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s domain '%s': the domain is not running (state: %s)", op,
                                     dom->obj.name, vmm_domain_state_to_string(dom->state));
        return 0;
}

/* Stops the domain as saved; a transient one goes away (lock held). */
static void save_stop(TestState *state, TestDomain *dom)
{
        dom->live = vmm_domain_def_free(dom->live);
        dom->id = -1;
        test_event_emit(state, dom, VMM_DOMAIN_EVENT_STOPPED, VMM_DOMAIN_EVENT_STOPPED_SAVED);
        dom->state = VMM_DOMAIN_SHUTOFF;
        dom->reason = VMM_DOMAIN_SHUTOFF_SAVED;
        dom->cpu_ns = 0;
        if (!dom->def)
                test_domain_forget(state, dom);
}

static int save_write_file(const char *path, const char *xml, uint32_t hflags, VmmError *error)
{
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        r = vmm_save_image_create_tmp(path, &tmp, &fd, error);
        if (r < 0)
                return r;
        r = vmm_save_image_write_fd(fd, path, xml, hflags, NULL, error);
        if (r >= 0)
                r = vmm_save_image_commit(fd, tmp, path, error);
        if (r < 0)
                unlink(tmp);
        return r;
}

int test_domain_save(VmmDomain *handle, const char *path, const char *dxml, unsigned int flags,
                     VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        TestState *state = NULL;
        TestDomain *dom = NULL;
        uint32_t hflags;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        r = save_check_active(dom, "save", error);
        if (r >= 0)
                r = save_xml(dom, dxml, &xml, error);
        if (r < 0)
                goto out;
        /* the state the restore gives: the flags, else the current one */
        hflags = (flags & VMM_DOMAIN_SAVE_RUNNING) ||
                         (!(flags & VMM_DOMAIN_SAVE_PAUSED) && dom->state == VMM_DOMAIN_RUNNING)
                     ? VMM_SAVE_IMAGE_WAS_RUNNING
                     : 0;
        r = save_write_file(path, xml, hflags, error);
        if (r < 0) {
                vmm_error_prefix(error, r, "save domain '%s': ", dom->obj.name);
                goto out;
        }
        save_stop(state, dom);
out:
        pthread_mutex_unlock(&state->lock);
        return r;
}

/* Whether the restored guest runs: the flags, else the image's state. */
static bool restore_paused(unsigned int flags, uint32_t hflags)
{
        if (flags & VMM_DOMAIN_SAVE_PAUSED)
                return true;
        if (flags & VMM_DOMAIN_SAVE_RUNNING)
                return false;
        return !(hflags & VMM_SAVE_IMAGE_WAS_RUNNING);
}

/* Starts a domain from an image's XML; the reason becomes "restored". */
static int restore_start(VmmConnect *conn, const char *xml, bool paused, VmmDomain **ret_dom,
                         VmmError *error)
{
        TestState *state = test_state_of(conn);
        VmmDomain *handle = NULL;
        TestDomain *dom;
        int r;

        r = test_domain_create_xml(conn, xml, paused ? VMM_DOMAIN_START_PAUSED : 0, &handle, error);
        if (r < 0)
                return r;
        pthread_mutex_lock(&state->lock);
        dom = test_index_find_uuid(&state->domains, handle->uuid);
        if (dom && dom->state == VMM_DOMAIN_RUNNING)
                dom->reason = VMM_DOMAIN_RUNNING_RESTORED;
        pthread_mutex_unlock(&state->lock);
        *ret_dom = handle;
        return 0;
}

int test_domain_restore(VmmConnect *conn, const char *path, const char *dxml, unsigned int flags,
                        VmmDomain **ret_dom, VmmError *error)
{
        _cleanup_(vmm_save_image_header_done) VmmSaveImageHeader hdr = {0};
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_free_ char *xml = NULL;
        uint8_t uuid[VMM_UUID_LEN];
        int r;

        r = vmm_save_image_open(path, &hdr, NULL, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "restore: ");
        if (dxml) {
                r = vmm_domain_def_parse(hdr.xml, (size_t)-1, 0, &def, error);
                if (r < 0)
                        return vmm_error_prefix(error, r, "restore \"%s\": stored XML: ", path);
                vmm_domain_def_get_uuid(def, uuid);
                r = vmm_save_image_check_dxml(dxml, vmm_domain_def_get_name(def), uuid, &xml,
                                              error);
                if (r < 0)
                        return vmm_error_prefix(error, r, "restore \"%s\": ", path);
        }
        r = restore_start(conn, xml ? xml : hdr.xml, restore_paused(flags, hdr.flags), ret_dom,
                          error);
        if (r < 0)
                return vmm_error_prefix(error, r, "restore \"%s\": ", path);
        return 0;
}

int test_domain_save_image_get_xml(VmmConnect *conn, const char *path, unsigned int flags,
                                   char **ret_xml, VmmError *error)
{
        return vmm_save_image_read_xml(path, flags & VMM_DOMAIN_XML_SECURE, ret_xml, error);
}

int test_domain_managed_save(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        r = save_check_active(dom, "managed save of", error);
        if (r >= 0 && !dom->def)
                r = vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                  "managed save of domain '%s': the domain is transient (expected "
                                  "a persistent domain; use save FILE)",
                                  dom->obj.name);
        if (r >= 0)
                r = save_xml(dom, NULL, &xml, error);
        if (r >= 0) {
                free(dom->managed_save_xml);
                dom->managed_save_xml = TAKE_PTR(xml);
                dom->managed_save_paused =
                    (flags & VMM_DOMAIN_SAVE_PAUSED) ||
                    (!(flags & VMM_DOMAIN_SAVE_RUNNING) && dom->state != VMM_DOMAIN_RUNNING);
                save_stop(state, dom);
        }
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_domain_has_managed_save(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        r = dom->managed_save_xml ? 1 : 0;
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_domain_managed_save_remove(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        free(dom->managed_save_xml);
        dom->managed_save_xml = NULL;
        pthread_mutex_unlock(&state->lock);
        return 0;
}

int test_save_start_managed(TestState *state, TestDomain *dom, unsigned int flags, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *live = NULL;
        bool paused = (flags & VMM_DOMAIN_START_PAUSED) || dom->managed_save_paused;
        int r;

        r = vmm_domain_def_parse(dom->managed_save_xml, (size_t)-1, 0, &live, error);
        if (r >= 0)
                r = vmm_domain_def_fill_defaults(live, error);
        if (r < 0)
                return vmm_error_prefix(
                    error, r, "start domain '%s': managed save image (kept): ", dom->obj.name);
        r = test_domain_run(state, dom, TAKE_PTR(live), paused, error);
        if (r < 0)
                return r;
        if (!paused)
                dom->reason = VMM_DOMAIN_RUNNING_RESTORED;
        free(dom->managed_save_xml);
        dom->managed_save_xml = NULL;
        return 0;
}
