/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-addr.c: IP and MAC addresses, tri-states and small helpers of
 * the network model. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "confdiff.h"
#include "network-priv.h"
#include "util/error.h"
#include "xml-util.h"

int vmm_netaddr_prop(xmlNodePtr node, const char *attr, int family, VmmNetAddr *ret,
                     VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, attr);
        VmmNetAddr a = {0};

        if (!v)
                return 0;
        if ((family == 0 || family == AF_INET) && inet_pton(AF_INET, v, a.bytes) == 1)
                a.family = AF_INET;
        else if ((family == 0 || family == AF_INET6) && inet_pton(AF_INET6, v, a.bytes) == 1)
                a.family = AF_INET6;
        else
                return vmm_xml_attr_error(
                    error, node, attr, "\"%s\" is not an %s address (expected e.g. %s)", v,
                    family == AF_INET    ? "IPv4"
                    : family == AF_INET6 ? "IPv6"
                                         : "IP",
                    family == AF_INET6 ? "\"2001:db8::1\"" : "\"192.168.122.1\"");
        *ret = a;
        return 1;
}

const char *vmm_netaddr_format(const VmmNetAddr *addr, char *buf, size_t size)
{
        if (addr->family == 0 || !inet_ntop(addr->family, addr->bytes, buf, (socklen_t)size))
                snprintf(buf, size, "(none)");
        return buf;
}

void vmm_netaddr_set_prop(xmlNodePtr node, const char *attr, const VmmNetAddr *addr)
{
        char buf[INET6_ADDRSTRLEN];

        if (addr->family)
                vmm_xml_set_prop(node, attr, vmm_netaddr_format(addr, buf, sizeof(buf)));
}

static size_t netaddr_len(int family)
{
        return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

bool vmm_netaddr_equal(const VmmNetAddr *a, const VmmNetAddr *b)
{
        return a->family == b->family && memcmp(a->bytes, b->bytes, netaddr_len(a->family)) == 0;
}

bool vmm_netaddr_diff(char **d, const char *where, const char *field, const VmmNetAddr *a,
                      const VmmNetAddr *b)
{
        char x[INET6_ADDRSTRLEN], y[INET6_ADDRSTRLEN];

        if (vmm_netaddr_equal(a, b))
                return true;
        return vmm_diff_set(d, "%s%s: %s != %s", where, field, vmm_netaddr_format(a, x, sizeof(x)),
                            vmm_netaddr_format(b, y, sizeof(y)));
}

int vmm_netaddr_netmask_prefix(const VmmNetAddr *mask)
{
        uint32_t m;
        int n = 0;

        if (mask->family != AF_INET)
                return -1;
        m = ((uint32_t)mask->bytes[0] << 24) | ((uint32_t)mask->bytes[1] << 16) |
            ((uint32_t)mask->bytes[2] << 8) | mask->bytes[3];
        while (m & 0x80000000u) {
                n++;
                m <<= 1;
        }
        return m == 0 ? n : -1;
}

bool vmm_netaddr_in_subnet(const VmmNetAddr *addr, const VmmNetAddr *net, int prefix)
{
        size_t len = netaddr_len(net->family);

        if (addr->family != net->family || prefix < 0 || (size_t)prefix > len * 8)
                return false;
        for (int bit = 0; bit < prefix; bit++) {
                int byte = bit / 8, shift = 7 - bit % 8;
                if (((addr->bytes[byte] >> shift) & 1) != ((net->bytes[byte] >> shift) & 1))
                        return false;
        }
        return true;
}

int vmm_netaddr_cmp(const VmmNetAddr *a, const VmmNetAddr *b)
{
        int r = memcmp(a->bytes, b->bytes, netaddr_len(a->family));

        return r < 0 ? -1 : r > 0;
}

static int mac_parse(const char *s, uint8_t mac[6])
{
        unsigned int b[6];
        char end;

        if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
                                      &b[4], &b[5], &end) != 6)
                return -EINVAL;
        for (int i = 0; i < 6; i++) {
                if (s[3 * i + 2] != ':' && i < 5)
                        return -EINVAL;
                if (!strchr("0123456789abcdefABCDEF", s[3 * i]) ||
                    !strchr("0123456789abcdefABCDEF", s[3 * i + 1]))
                        return -EINVAL;
                mac[i] = (uint8_t)b[i];
        }
        return 0;
}

int vmm_mac_prop(xmlNodePtr node, const char *attr, uint8_t ret_mac[6], VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, attr);
        uint8_t mac[6];

        if (!v)
                return 0;
        if (mac_parse(v, mac) < 0)
                return vmm_xml_attr_error(error, node, attr,
                                          "\"%s\" is not a MAC address (expected e.g. "
                                          "\"52:54:00:12:34:56\")",
                                          v);
        memcpy(ret_mac, mac, 6);
        return 1;
}

void vmm_mac_set_prop(xmlNodePtr node, const char *attr, const uint8_t mac[6])
{
        vmm_xml_set_propf(node, attr, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
                          mac[3], mac[4], mac[5]);
}

int vmm_network_prop_tristate(xmlNodePtr node, const char *attr, int *ret, VmmError *error)
{
        int v = -1;
        int r = vmm_xml_prop_yesno(node, attr, &v, error);

        if (r < 0)
                return r;
        *ret = v;
        return r;
}

void vmm_network_set_tristate(xmlNodePtr node, const char *attr, int value, bool onoff)
{
        if (value < 0)
                return;
        vmm_xml_set_prop(node, attr, value ? (onoff ? "on" : "yes") : (onoff ? "off" : "no"));
}

int vmm_network_check_once(xmlNodePtr node, const char *name, VmmError *error)
{
        if (vmm_xml_count_children(node, name) > 1)
                return vmm_xml_error(error, vmm_xml_child(node, name),
                                     "appears more than once (expected at most one)");
        return 0;
}

int vmm_network_single_text(xmlNodePtr node, const char *name, char **ret, VmmError *error)
{
        xmlNodePtr c = vmm_xml_child(node, name);
        int r;

        *ret = NULL;
        if (!c)
                return 0;
        r = vmm_network_check_once(node, name, error);
        if (r < 0)
                return r;
        *ret = vmm_xml_get_text(c);
        return *ret ? 1 : vmm_error_oom(error);
}

void *vmm_network_array_add(void **array, size_t *n, size_t size)
{
        char *a = realloc(*array, (*n + 1) * size);

        if (!a)
                return NULL;
        memset(a + *n * size, 0, size);
        *array = a;
        return a + (*n)++ * size;
}
