/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-stats.c: the statistics field list drivers fill (domain-stats.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/domain-device.h"
#include "conf/domain-disk.h"
#include "conf/domain-net.h"
#include "driver/domain-stats.h"

static VmmDomainStatField *stat_list_grow(VmmStatList *list, const char *key_fmt, va_list ap)
{
        VmmDomainStatField *f;
        char *key = NULL;

        if (list->oom)
                return NULL;
        if (list->n_fields == list->cap) {
                size_t cap = list->cap ? list->cap * 2 : 16;
                VmmDomainStatField *nf = realloc(list->fields, cap * sizeof(*nf));

                if (!nf) {
                        list->oom = -ENOMEM;
                        return NULL;
                }
                list->fields = nf;
                list->cap = cap;
        }
        if (vasprintf(&key, key_fmt, ap) < 0) {
                list->oom = -ENOMEM;
                return NULL;
        }
        f = &list->fields[list->n_fields++];
        *f = (VmmDomainStatField){.key = key};
        return f;
}

void vmm_stat_list_add_u(VmmStatList *list, uint64_t value, const char *key_fmt, ...)
{
        VmmDomainStatField *f;
        va_list ap;

        va_start(ap, key_fmt);
        f = stat_list_grow(list, key_fmt, ap);
        va_end(ap);
        if (!f)
                return;
        f->type = VMM_DOMAIN_STAT_UINT64;
        f->u = value;
}

void vmm_stat_list_add_s(VmmStatList *list, const char *value, const char *key_fmt, ...)
{
        VmmDomainStatField *f;
        va_list ap;

        va_start(ap, key_fmt);
        f = stat_list_grow(list, key_fmt, ap);
        va_end(ap);
        if (!f)
                return;
        f->type = VMM_DOMAIN_STAT_STRING;
        f->s = strdup(value ? value : "");
        if (!f->s)
                list->oom = -ENOMEM;
}

void vmm_stat_list_done(VmmStatList *list)
{
        for (size_t i = 0; i < list->n_fields; i++) {
                free(list->fields[i].key);
                free(list->fields[i].s);
        }
        free(list->fields);
        *list = (VmmStatList){0};
}

int vmm_stat_list_take(VmmStatList *list, VmmDomainStatsRecord *rec, VmmError *error)
{
        if (list->oom) {
                vmm_stat_list_done(list);
                return vmm_error_oom(error);
        }
        rec->fields = list->fields;
        rec->n_fields = list->n_fields;
        *list = (VmmStatList){0};
        return 0;
}

static const char *stat_disk_path(const VmmDomainDisk *disk)
{
        const VmmDiskSource *s = disk->source;

        if (!s)
                return NULL;
        return s->file   ? s->file
               : s->dev  ? s->dev
               : s->dir  ? s->dir
               : s->name ? s->name
                         : s->volume;
}

size_t vmm_stat_list_disks(VmmStatList *list, const VmmDomainDef *def)
{
        size_t n = 0;
        void *const *disks =
            vmm_domain_devices_get(vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_DISK, &n);

        vmm_stat_list_add_u(list, n, "block.count");
        for (size_t i = 0; i < n; i++) {
                const VmmDomainDisk *d = disks[i];
                const char *path = stat_disk_path(d);

                vmm_stat_list_add_s(list, d->target_dev ? d->target_dev : "", "block.%zu.name", i);
                if (path)
                        vmm_stat_list_add_s(list, path, "block.%zu.path", i);
        }
        return n;
}

size_t vmm_stat_list_nets(VmmStatList *list, const VmmDomainDef *def)
{
        size_t n = 0;
        void *const *nets = vmm_domain_devices_get(vmm_domain_def_get_devices(def),
                                                   VMM_DOMAIN_DEVICE_INTERFACE, &n);

        vmm_stat_list_add_u(list, n, "net.count");
        for (size_t i = 0; i < n; i++) {
                const VmmDomainNet *net = nets[i];
                const char *name = net->target_dev ? net->target_dev : net->mac;

                vmm_stat_list_add_s(list, name ? name : "", "net.%zu.name", i);
        }
        return n;
}
