/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-network.c: virtual networks in the test driver (read side). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-driver.h"
#include "util/error.h"

int test_network_add_loaded(TestState *state, VmmNetworkDef *def, bool active, bool autostart,
                            VmmError *error)
{
        TestNetwork *net = calloc(1, sizeof(*net));
        int r;

        if (net)
                net->obj.name = strdup(vmm_network_def_get_name(def));
        if (!net || !net->obj.name) {
                free(net);
                vmm_network_def_free(def);
                return vmm_error_oom(error);
        }
        vmm_network_def_get_uuid(def, net->obj.uuid);
        net->def = def;
        net->active = active;
        net->persistent = true;
        net->autostart = autostart;
        r = test_index_add(&state->networks, &net->obj);
        if (r < 0) {
                r = r == -EEXIST ? vmm_error_set(error, r, VMM_ERR_DUPLICATE,
                                                 "network '%s': its name or UUID is used "
                                                 "twice",
                                                 net->obj.name)
                                 : vmm_error_oom(error);
                test_network_free(net);
        }
        return r;
}

static int network_get_locked(VmmNetwork *handle, TestState **ret_state, TestNetwork **ret_net,
                              VmmError *error)
{
        TestState *state = test_state_of(handle->conn);
        TestNetwork *net = NULL;

        pthread_mutex_lock(&state->lock);
        net = test_index_find_uuid(&state->networks, handle->uuid);
        if (!net) {
                pthread_mutex_unlock(&state->lock);
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_NETWORK,
                                     "network '%s' no longer exists", handle->name);
        }
        *ret_state = state;
        *ret_net = net;
        return 0;
}

static bool network_filter(void *obj, void *userdata)
{
        const TestNetwork *net = obj;
        unsigned int f = *(const unsigned int *)userdata;

        return test_filter_pass(f, VMM_NETWORK_LIST_ACTIVE, VMM_NETWORK_LIST_INACTIVE,
                                net->active) &&
               test_filter_pass(f, VMM_NETWORK_LIST_PERSISTENT, VMM_NETWORK_LIST_TRANSIENT,
                                net->persistent) &&
               test_filter_pass(f, VMM_NETWORK_LIST_AUTOSTART, VMM_NETWORK_LIST_NO_AUTOSTART,
                                net->autostart);
}

int test_network_list_all(VmmConnect *conn, unsigned int flags, VmmNetwork ***ret_nets,
                          size_t *ret_count, VmmError *error)
{
        const unsigned int known = (VMM_NETWORK_LIST_NO_AUTOSTART << 1) - 1;
        TestState *state = test_state_of(conn);
        _cleanup_free_ void **objs = NULL;
        VmmNetwork **nets;
        size_t n = 0;
        int r;

        if (flags & ~known)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "list networks: unknown flags 0x%x", flags & ~known);
        pthread_mutex_lock(&state->lock);
        r = test_index_sorted(&state->networks, network_filter, &flags, &objs, &n);
        nets = r < 0 ? NULL : calloc(n + 1, sizeof(*nets));
        for (size_t i = 0; nets && i < n; i++) {
                const TestNetwork *net = objs[i];

                nets[i] = vmm_network_handle_new(conn, net->obj.name, net->obj.uuid);
                if (!nets[i]) {
                        vmm_network_list_free(nets, i);
                        nets = NULL;
                }
        }
        pthread_mutex_unlock(&state->lock);
        if (!nets)
                return vmm_error_oom(error);
        *ret_nets = nets;
        *ret_count = n;
        return (int)n;
}

static int network_lookup(VmmConnect *conn, const char *name, const uint8_t *uuid,
                          VmmNetwork **ret_net, VmmError *error)
{
        TestState *state = test_state_of(conn);
        char s[VMM_UUID_STRLEN];
        TestNetwork *net = NULL;
        int r = 0;

        pthread_mutex_lock(&state->lock);
        net = name ? test_index_find_name(&state->networks, name)
                   : test_index_find_uuid(&state->networks, uuid);
        if (!net && name)
                r = vmm_error_set(error, -ENOENT, VMM_ERR_NO_NETWORK, "no network named '%s'",
                                  name);
        else if (!net)
                r = vmm_error_set(error, -ENOENT, VMM_ERR_NO_NETWORK, "no network with UUID %s",
                                  vmm_uuid_format(uuid, s));
        else {
                *ret_net = vmm_network_handle_new(conn, net->obj.name, net->obj.uuid);
                if (!*ret_net)
                        r = vmm_error_oom(error);
        }
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_network_lookup_by_name(VmmConnect *conn, const char *name, VmmNetwork **ret_net,
                                VmmError *error)
{
        return network_lookup(conn, name, NULL, ret_net, error);
}

int test_network_lookup_by_uuid(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                                VmmNetwork **ret_net, VmmError *error)
{
        return network_lookup(conn, NULL, uuid, ret_net, error);
}

int test_network_get_xml(VmmNetwork *handle, unsigned int flags, char **ret_xml, VmmError *error)
{
        TestState *state = NULL;
        TestNetwork *net = NULL;
        int r;

        r = network_get_locked(handle, &state, &net, error);
        if (r < 0)
                return r;
        r = vmm_network_def_format(net->def, 0, ret_xml, error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_network_is_active(VmmNetwork *handle, VmmError *error)
{
        TestState *state = NULL;
        TestNetwork *net = NULL;
        int r;

        r = network_get_locked(handle, &state, &net, error);
        if (r < 0)
                return r;
        r = net->active;
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_network_is_persistent(VmmNetwork *handle, VmmError *error)
{
        TestState *state = NULL;
        TestNetwork *net = NULL;
        int r;

        r = network_get_locked(handle, &state, &net, error);
        if (r < 0)
                return r;
        r = net->persistent;
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_network_get_autostart(VmmNetwork *handle, bool *ret_autostart, VmmError *error)
{
        TestState *state = NULL;
        TestNetwork *net = NULL;
        int r;

        r = network_get_locked(handle, &state, &net, error);
        if (r < 0)
                return r;
        *ret_autostart = net->autostart;
        pthread_mutex_unlock(&state->lock);
        return 0;
}

int test_network_get_bridge_name(VmmNetwork *handle, char **ret_bridge, VmmError *error)
{
        const char *bridge;
        TestState *state = NULL;
        TestNetwork *net = NULL;
        char *s = NULL;
        int r;

        r = network_get_locked(handle, &state, &net, error);
        if (r < 0)
                return r;
        bridge = vmm_network_def_get_bridge(net->def);
        if (!bridge)
                r = vmm_error_set(error, -ENOENT, VMM_ERR_OPERATION_INVALID,
                                  "network '%s' has no bridge", net->obj.name);
        else if (!(s = strdup(bridge)))
                r = vmm_error_oom(error);
        pthread_mutex_unlock(&state->lock);
        if (r < 0)
                return r;
        *ret_bridge = s;
        return 0;
}
