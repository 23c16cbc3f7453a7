/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * uri.h: connection URIs, parsed in this one module:
 *   driver[+transport]://[user@][host][:port]/path[?name=value&...]
 * e.g. test:///default, qemu:///system, qemu+unix:///system?socket=/x.sock,
 * qemu+tls://host.example:16514/system. The user, host, path and query
 * names and values are percent-decoded (%00 is refused); the driver and
 * transport are lower-cased; a missing path is "/"; an IPv6 host is
 * written in brackets ("[::1]") and stored without them.
 */
#pragma once

#include <stddef.h>
#include <vmm/vmm-common.h>

typedef struct VmmUriParam {
        char *name;
        char *value;
} VmmUriParam;

typedef struct VmmUri {
        char *driver;    /* "qemu", "test" (lower case) */
        char *transport; /* "unix", "tls", "ssh"... or NULL */
        char *user;      /* or NULL */
        char *host;      /* or NULL for local */
        int port;        /* 0 when absent */
        char *path;      /* "/system", "/default", "/tmp/x.xml"; never NULL */
        VmmUriParam *params;
        size_t n_params;
} VmmUri;

/* Errors: -EINVAL with a message naming the URI and what is wrong. */
int vmm_uri_parse(const char *s, VmmUri **ret_uri, VmmError *error);
VmmUri *vmm_uri_free(VmmUri *uri);
/* The canonical text form; heap string. NULL on OOM. */
char *vmm_uri_format(const VmmUri *uri);
/* The value of query parameter `name` (the last one when repeated), or NULL. */
const char *vmm_uri_get_param(const VmmUri *uri, const char *name);

/*
 * The default URI: $VMM_DEFAULT_URI, then `uri_default = "..."` in the
 * config file ($XDG_CONFIG_HOME/vmm/vmm.conf or ~/.config/vmm/vmm.conf for
 * users, SYSCONFDIR/vmm/vmm.conf for root; $VMM_CONFIG overrides the path),
 * then qemu:///session (non-root) or qemu:///system (root).
 */
int vmm_uri_default(char **ret_uri, VmmError *error);

#include "cleanup.h"
DEFINE_CLEANUP(VmmUri, vmm_uri_free)
