/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * driver.h: the interface between libvmm's public API and the drivers
 * behind it (the in-process test driver, the remote driver).
 *
 * The public functions check their arguments and the connection, then call
 * the driver's entry; a NULL entry makes the call fail with -ENOTSUP
 * naming the driver and the operation. Every entry fills `error` on
 * failure. Entries may be called from several threads at once: drivers do
 * their own locking. Handles a driver returns carry one reference for the
 * caller.
 */
#pragma once

#include "object.h"

struct VmmDriver {
        const char *name;

        /* 1 when this driver serves `uri`, 0 otherwise. */
        int (*probe)(const VmmUri *uri);
        /* Sets conn->priv. */
        int (*open)(VmmConnect *conn, const VmmUri *uri, unsigned int flags, VmmError *error);
        /* Frees conn->priv; called once, when the connection is closed. */
        void (*close)(VmmConnect *conn);
        int (*get_hypervisor_version)(VmmConnect *conn, unsigned long *ret_version,
                                      VmmError *error);
        int (*get_hostname)(VmmConnect *conn, char **ret_hostname, VmmError *error);
        bool (*is_alive)(VmmConnect *conn);

        /* domains */
        int (*domain_lookup_by_name)(VmmConnect *conn, const char *name, VmmDomain **ret_dom,
                                     VmmError *error);
        int (*domain_lookup_by_uuid)(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                                     VmmDomain **ret_dom, VmmError *error);
        int (*domain_lookup_by_id)(VmmConnect *conn, int id, VmmDomain **ret_dom,
                                   VmmError *error);
        /* Sorted by name. */
        int (*domain_list_all)(VmmConnect *conn, unsigned int flags, VmmDomain ***ret_doms,
                               size_t *ret_count, VmmError *error);
        int (*domain_define_xml)(VmmConnect *conn, const char *xml, unsigned int flags,
                                 VmmDomain **ret_dom, VmmError *error);
        int (*domain_create_xml)(VmmConnect *conn, const char *xml, unsigned int flags,
                                 VmmDomain **ret_dom, VmmError *error);
        int (*domain_undefine)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_get_xml)(VmmDomain *dom, unsigned int flags, char **ret_xml,
                              VmmError *error);
        int (*domain_start)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_shutdown)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_destroy)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_suspend)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_resume)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_reboot)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_reset)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_get_info)(VmmDomain *dom, VmmDomainInfo *ret_info, VmmError *error);
        int (*domain_get_state)(VmmDomain *dom, VmmDomainState *ret_state, int *ret_reason,
                                VmmError *error);
        /* -1 in *ret_id when inactive. */
        int (*domain_get_id)(VmmDomain *dom, int *ret_id, VmmError *error);
        /* Return 1/0. */
        int (*domain_is_active)(VmmDomain *dom, VmmError *error);
        int (*domain_is_persistent)(VmmDomain *dom, VmmError *error);
        int (*domain_get_os_type)(VmmDomain *dom, char **ret_os_type, VmmError *error);
        int (*domain_get_autostart)(VmmDomain *dom, bool *ret_autostart, VmmError *error);
        int (*domain_set_autostart)(VmmDomain *dom, bool autostart, VmmError *error);
        /* events (vmm-event.h); *ret_id > 0 */
        int (*domain_event_register)(VmmConnect *conn, VmmDomainEventFunc cb, void *userdata,
                                     VmmFreeFunc destroy, int *ret_id, VmmError *error);
        int (*domain_event_deregister)(VmmConnect *conn, int id, VmmError *error);
        /* runtime operations (api-domain-ops.c) */
        int (*domain_set_memory)(VmmDomain *dom, uint64_t kib, unsigned int flags,
                                 VmmError *error);
        /* device hot-plug (api-domain-device.c); `flags`: VmmDomainModificationFlags */
        int (*domain_attach_device)(VmmDomain *dom, const char *xml, unsigned int flags,
                                    VmmError *error);
        int (*domain_detach_device)(VmmDomain *dom, const char *xml, unsigned int flags,
                                    VmmError *error);
        /* `doms` NULL: every domain passing `flags`; else those, in order. */
        int (*domain_get_stats)(VmmConnect *conn, VmmDomain *const *doms, size_t n_doms,
                                unsigned int stats, unsigned int flags,
                                VmmDomainStatsRecord **ret_records, size_t *ret_count,
                                VmmError *error);
        int (*domain_qemu_monitor_command)(VmmDomain *dom, const char *command,
                                           char **ret_reply, unsigned int flags,
                                           VmmError *error);
        /* save and restore (api-domain-save.c); `dxml` may be NULL */
        int (*domain_save)(VmmDomain *dom, const char *path, const char *dxml, unsigned int flags,
                           VmmError *error);
        int (*domain_restore)(VmmConnect *conn, const char *path, const char *dxml,
                              unsigned int flags, VmmDomain **ret_dom, VmmError *error);
        int (*domain_save_image_get_xml)(VmmConnect *conn, const char *path, unsigned int flags,
                                         char **ret_xml, VmmError *error);
        int (*domain_managed_save)(VmmDomain *dom, unsigned int flags, VmmError *error);
        /* Returns 1/0. */
        int (*domain_has_managed_save)(VmmDomain *dom, unsigned int flags, VmmError *error);
        int (*domain_managed_save_remove)(VmmDomain *dom, unsigned int flags, VmmError *error);
        /* streams (vmm-stream.h, driver/stream.h): the open entry sets
         * st->priv, the stream entries serve it, release frees it */
        int (*domain_open_console)(VmmDomain *dom, const char *dev_name, VmmStream *st,
                                   unsigned int flags, VmmError *error);
        int (*stream_send)(VmmStream *st, const void *buf, size_t len, VmmError *error);
        int (*stream_recv)(VmmStream *st, void *buf, size_t len, int timeout_ms,
                           VmmError *error);
        int (*stream_finish)(VmmStream *st, VmmError *error);
        int (*stream_abort)(VmmStream *st, VmmError *error);
        int (*stream_event_fd)(VmmStream *st, VmmError *error);
        void (*stream_release)(VmmStream *st);
        /* VMM_CONNECT_EVENTS_POLLABLE connections: the fd, and delivery */
        int (*event_fd)(VmmConnect *conn, VmmError *error);
        int (*dispatch_events)(VmmConnect *conn, VmmError *error);

        /* networks */
        int (*network_list_all)(VmmConnect *conn, unsigned int flags, VmmNetwork ***ret_nets,
                                size_t *ret_count, VmmError *error);
        int (*network_lookup_by_name)(VmmConnect *conn, const char *name,
                                      VmmNetwork **ret_net, VmmError *error);
        int (*network_lookup_by_uuid)(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                                      VmmNetwork **ret_net, VmmError *error);
        int (*network_get_xml)(VmmNetwork *net, unsigned int flags, char **ret_xml,
                               VmmError *error);
        int (*network_is_active)(VmmNetwork *net, VmmError *error);
        int (*network_is_persistent)(VmmNetwork *net, VmmError *error);
        int (*network_get_autostart)(VmmNetwork *net, bool *ret_autostart, VmmError *error);
        int (*network_get_bridge_name)(VmmNetwork *net, char **ret_bridge, VmmError *error);

        /* storage pools and volumes */
        int (*pool_list_all)(VmmConnect *conn, unsigned int flags, VmmStoragePool ***ret_pools,
                             size_t *ret_count, VmmError *error);
        int (*pool_lookup_by_name)(VmmConnect *conn, const char *name,
                                   VmmStoragePool **ret_pool, VmmError *error);
        int (*pool_get_xml)(VmmStoragePool *pool, unsigned int flags, char **ret_xml,
                            VmmError *error);
        int (*pool_get_info)(VmmStoragePool *pool, VmmStoragePoolInfo *ret_info,
                             VmmError *error);
        int (*pool_is_active)(VmmStoragePool *pool, VmmError *error);
        int (*pool_is_persistent)(VmmStoragePool *pool, VmmError *error);
        int (*pool_get_autostart)(VmmStoragePool *pool, bool *ret_autostart, VmmError *error);
        int (*vol_list_all)(VmmStoragePool *pool, unsigned int flags, VmmStorageVol ***ret_vols,
                            size_t *ret_count, VmmError *error);
        int (*vol_lookup_by_name)(VmmStoragePool *pool, const char *name,
                                  VmmStorageVol **ret_vol, VmmError *error);
        int (*vol_get_xml)(VmmStorageVol *vol, unsigned int flags, char **ret_xml,
                           VmmError *error);
        int (*vol_get_info)(VmmStorageVol *vol, VmmStorageVolInfo *ret_info, VmmError *error);
};

/* The in-process drivers, NULL-terminated, in probe order. Defined by
 * drivers/builtin.c (linked into libvmm.so); libvmm includes no driver
 * header, it only walks this table. The reference is weak: programs that
 * link libvmm's core without the in-process drivers (the daemons) simply
 * have none. */
extern const VmmDriver *const vmm_builtin_drivers[] __attribute__((weak));

static inline const VmmDriver *const *vmm_driver_table(void)
{
        static const VmmDriver *const none[] = { NULL };

        return vmm_builtin_drivers ? vmm_builtin_drivers : none;
}
