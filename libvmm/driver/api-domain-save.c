/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-domain-save.c: the public save, restore and managed save calls
 * (vmm-domain.h). Paths must be absolute: the image is opened by the
 * driver's side (the daemon), whose working directory is not the caller's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/api.h"
#include "util/error.h"

#define SAVE_FLAGS (VMM_DOMAIN_SAVE_BYPASS_CACHE | VMM_DOMAIN_SAVE_RUNNING | VMM_DOMAIN_SAVE_PAUSED)

static int check_save_flags(unsigned int flags, const char *func, VmmError *error)
{
        int r = vmm_api_check_flags(flags, SAVE_FLAGS, func, error);

        if (r < 0)
                return r;
        if ((flags & VMM_DOMAIN_SAVE_RUNNING) && (flags & VMM_DOMAIN_SAVE_PAUSED))
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: flags RUNNING and PAUSED together (expected at most "
                                     "one of them)",
                                     func);
        return 0;
}

static int check_path(const char *path, const char *func, VmmError *error)
{
        if (!path || !*path)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: no file given (expected an absolute path)", func);
        if (path[0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: file \"%s\" is not an absolute path (expected one "
                                     "starting with '/')",
                                     func, path);
        if (strlen(path) >= 4096)
                return vmm_error_set(error, -ENAMETOOLONG, VMM_ERR_INVALID_ARG,
                                     "%s: file name of %zu bytes (expected less than 4096)", func,
                                     strlen(path));
        return 0;
}

static int dom_check(VmmDomain *dom, const char *func, VmmApiAccess access, VmmError *error)
{
        return vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", func, access, error);
}

VMM_EXPORT int vmm_domain_save(VmmDomain *dom, const char *path, const char *dxml,
                               unsigned int flags, VmmError *error)
{
        int r = dom_check(dom, __func__, VMM_API_WRITE, error);

        if (r >= 0)
                r = check_path(path, __func__, error);
        if (r >= 0)
                r = check_save_flags(flags, __func__, error);
        if (r < 0)
                return r;
        if (dxml && !*dxml)
                dxml = NULL;
        if (!dom->conn->driver->domain_save)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_save(dom, path, dxml, flags, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_restore(VmmConnect *conn, const char *path, const char *dxml,
                                  unsigned int flags, VmmDomain **ret_dom, VmmError *error)
{
        VmmDomain *dom = NULL;
        int r = vmm_api_check_conn(conn, __func__, VMM_API_WRITE, error);

        if (r >= 0)
                r = check_path(path, __func__, error);
        if (r >= 0)
                r = check_save_flags(flags, __func__, error);
        if (r < 0)
                return r;
        if (dxml && !*dxml)
                dxml = NULL;
        if (!conn->driver->domain_restore)
                return vmm_api_no_support(conn, __func__, error);
        r = conn->driver->domain_restore(conn, path, dxml, flags, &dom, error);
        if (r < 0)
                return vmm_api_result(r, __func__, error);
        if (ret_dom)
                *ret_dom = dom;
        else
                vmm_domain_unref(dom);
        return 0;
}

VMM_EXPORT int vmm_domain_save_image_get_xml_desc(VmmConnect *conn, const char *path,
                                                  unsigned int flags, char **ret_xml,
                                                  VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r >= 0)
                r = check_path(path, __func__, error);
        if (r >= 0)
                r = vmm_api_check_flags(flags, VMM_DOMAIN_XML_SECURE, __func__, error);
        if (r < 0)
                return r;
        vmm_check_arg(ret_xml, error, "ret_xml is NULL");
        if (!conn->driver->domain_save_image_get_xml)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(
            conn->driver->domain_save_image_get_xml(conn, path, flags, ret_xml, error), __func__,
            error);
}

VMM_EXPORT int vmm_domain_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = dom_check(dom, __func__, VMM_API_WRITE, error);

        if (r >= 0)
                r = check_save_flags(flags, __func__, error);
        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_managed_save)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_managed_save(dom, flags, error), __func__,
                              error);
}

VMM_EXPORT int vmm_domain_has_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = dom_check(dom, __func__, VMM_API_READ, error);

        if (r >= 0)
                r = vmm_api_check_flags(flags, 0, __func__, error);
        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_has_managed_save)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_has_managed_save(dom, flags, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_managed_save_remove(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = dom_check(dom, __func__, VMM_API_WRITE, error);

        if (r >= 0)
                r = vmm_api_check_flags(flags, 0, __func__, error);
        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_managed_save_remove)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_managed_save_remove(dom, flags, error),
                              __func__, error);
}
