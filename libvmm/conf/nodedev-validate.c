/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nodedev-validate.c: semantic checks of a parsed node device, separate
 * from parsing. Every message starts with "node device '<name>': ". */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nodedev-priv.h"
#include "util/error.h"

static int nd_invalid(VmmError *error, const VmmNodedevDef *def, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int nd_invalid(VmmError *error, const VmmNodedevDef *def, const char *fmt, ...)
{
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "node device '%s': %s",
                             def->name ? def->name : "?", msg);
}

/* A fibre channel WWN: 16 hex digits, optionally with "0x". */
static bool nd_is_wwn(const char *s)
{
        if (!s)
                return false;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                s += 2;
        return strlen(s) == 16 && strspn(s, "0123456789abcdefABCDEF") == 16;
}

static bool nd_is_mac(const char *s)
{
        if (!s || strlen(s) != 17)
                return false;
        for (int i = 0; i < 17; i++) {
                bool colon = i % 3 == 2;
                if (colon ? s[i] != ':' : !strchr("0123456789abcdefABCDEF", s[i]))
                        return false;
        }
        return true;
}

static int nd_check_ccw(const VmmNodedevDef *def, const char *what, const VmmNodedevCcwAddr *a,
                        VmmError *error)
{
        if (a->cssid > 0xfe || a->ssid > 0x3 || a->devno > 0xffff)
                return nd_invalid(error, def,
                                  "%s %x.%x.%04x is out of range (expected cssid up "
                                  "to 0xfe, ssid up to 0x3, devno up to 0xffff)",
                                  what, a->cssid, a->ssid, a->devno);
        return 0;
}

static int nd_check_pci(const VmmNodedevDef *def, const VmmNodedevPci *pci, VmmError *error)
{
        if (pci->virt_max_count >= 0 && pci->n_virt_functions > (size_t)pci->virt_max_count)
                return nd_invalid(error, def,
                                  "<capability type='virt_functions' maxCount='%d'> "
                                  "lists %zu functions",
                                  pci->virt_max_count, pci->n_virt_functions);
        for (size_t i = 0; i < pci->n_virt_functions; i++)
                for (size_t j = 0; j < i; j++)
                        if (memcmp(&pci->virt_functions[i], &pci->virt_functions[j],
                                   sizeof(VmmNodedevPciAddr)) == 0)
                                return nd_invalid(
                                    error, def,
                                    "virtual function %04x:%02x:%02x.%x "
                                    "appears twice",
                                    pci->virt_functions[i].domain, pci->virt_functions[i].bus,
                                    pci->virt_functions[i].slot, pci->virt_functions[i].function);
        for (size_t i = 0; i < pci->n_links; i++)
                for (size_t j = 0; j < i; j++)
                        if (pci->links[i].is_sta == pci->links[j].is_sta)
                                return nd_invalid(error, def,
                                                  "<pci-express> has two <link "
                                                  "validity='%s'>",
                                                  pci->links[i].is_sta ? "sta" : "cap");
        return 0;
}

static int nd_check_cap(const VmmNodedevDef *def, const VmmNodedevCap *cap, VmmError *error)
{
        switch (cap->type) {
        case VMM_NODEDEV_CAP_PCI:
                return nd_check_pci(def, &cap->pci, error);
        case VMM_NODEDEV_CAP_NET:
                if (cap->net.address && !nd_is_mac(cap->net.address))
                        return nd_invalid(error, def,
                                          "<address>: \"%s\" is not a MAC address "
                                          "(expected e.g. \"52:54:00:12:34:56\")",
                                          cap->net.address);
                return 0;
        case VMM_NODEDEV_CAP_SCSI_HOST:
                if (cap->scsi_host.has_fc_host &&
                    (!nd_is_wwn(cap->scsi_host.wwnn) || !nd_is_wwn(cap->scsi_host.wwpn) ||
                     (cap->scsi_host.fabric_wwn && !nd_is_wwn(cap->scsi_host.fabric_wwn))))
                        return nd_invalid(error, def,
                                          "<capability type='fc_host'>: a WWN is "
                                          "not 16 hex digits (expected e.g. "
                                          "\"2000f4e9d4eb02c9\")");
                return 0;
        case VMM_NODEDEV_CAP_STORAGE:
                if (cap->storage.block[0] != '/')
                        return nd_invalid(error, def, "<block>: \"%s\" is not an absolute path",
                                          cap->storage.block);
                return 0;
        case VMM_NODEDEV_CAP_VDPA:
                if (cap->vdpa_chardev[0] != '/')
                        return nd_invalid(error, def, "<chardev>: \"%s\" is not an absolute path",
                                          cap->vdpa_chardev);
                return 0;
        case VMM_NODEDEV_CAP_CCW:
                return nd_check_ccw(def, "ccw device", &cap->ccw, error);
        case VMM_NODEDEV_CAP_CSS:
                if (cap->css.has_channel_dev_addr) {
                        int r = nd_check_ccw(def, "channel_dev_addr", &cap->css.channel_dev_addr,
                                             error);
                        if (r < 0)
                                return r;
                }
                return nd_check_ccw(def, "subchannel", &cap->css.addr, error);
        case VMM_NODEDEV_CAP_MDEV:
                for (size_t i = 0; i < cap->mdev.n_attrs; i++)
                        for (size_t j = 0; j < i; j++)
                                if (strcmp(cap->mdev.attrs[i].name, cap->mdev.attrs[j].name) == 0)
                                        return nd_invalid(error, def,
                                                          "mdev <attr name='%s'> "
                                                          "appears twice",
                                                          cap->mdev.attrs[i].name);
                return 0;
        default:
                return 0;
        }
}

int vmm_nodedev_def_validate(const VmmNodedevDef *def, VmmError *error)
{
        int r;

        if (!def->name || !*def->name)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "node device: no name");
        if (def->path && def->path[0] != '/')
                return nd_invalid(error, def, "<path>: \"%s\" is not an absolute path", def->path);
        for (size_t i = 0; i < def->n_devnodes; i++)
                if (def->devnodes[i].path[0] != '/')
                        return nd_invalid(error, def, "<devnode>: \"%s\" is not an absolute path",
                                          def->devnodes[i].path);
        if ((def->parent_wwnn && (!nd_is_wwn(def->parent_wwnn) || !nd_is_wwn(def->parent_wwpn))) ||
            (def->parent_fabric_wwn && !nd_is_wwn(def->parent_fabric_wwn)))
                return nd_invalid(error, def,
                                  "<parent>: a WWN is not 16 hex digits (expected "
                                  "e.g. \"2000f4e9d4eb02c9\")");
        for (size_t i = 0; i < def->n_caps; i++) {
                for (size_t j = 0; j < i; j++)
                        if (def->caps[i].type == def->caps[j].type)
                                return nd_invalid(
                                    error, def,
                                    "<capability type='%s'> appears "
                                    "twice",
                                    vmm_nodedev_cap_type_to_string(def->caps[i].type));
                if ((r = nd_check_cap(def, &def->caps[i], error)) < 0)
                        return r;
        }
        return 0;
}
