/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-dns.c: <dns>: forwarders, TXT and SRV records, host names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "network-priv.h"
#include "util/error.h"
#include "xml-util.h"

static int dns_parse_forwarder(xmlNodePtr c, VmmNetworkDns *dns, VmmError *error)
{
        static const char *const attrs[] = {"addr", "domain", NULL};
        VmmNetworkDnsForwarder *f;
        int r;

        r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        f = vmm_network_array_add((void **)&dns->forwarders, &dns->n_forwarders, sizeof(*f));
        if (!f)
                return vmm_error_oom(error);
        r = vmm_netaddr_prop(c, "addr", 0, &f->addr, error);
        if (r < 0)
                return r;
        f->domain = vmm_xml_get_prop(c, "domain");
        if (!f->addr.family && !f->domain)
                return vmm_xml_error(error, c, "needs an 'addr' or a 'domain' attribute");
        return 0;
}

static int dns_parse_txt(xmlNodePtr c, VmmNetworkDns *dns, VmmError *error)
{
        static const char *const attrs[] = {"name", "value", NULL};
        VmmNetworkDnsTxt *t;
        int r;

        r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        t = vmm_network_array_add((void **)&dns->txts, &dns->n_txts, sizeof(*t));
        if (!t)
                return vmm_error_oom(error);
        t->name = vmm_xml_get_prop(c, "name");
        t->value = vmm_xml_get_prop(c, "value");
        if (!t->name || !*t->name)
                return vmm_xml_error(error, c, "missing attribute 'name'");
        if (strchr(t->name, ' '))
                return vmm_xml_attr_error(error, c, "name",
                                          "\"%s\" contains a space (expected a DNS name)", t->name);
        if (!t->value)
                return vmm_xml_error(error, c, "missing attribute 'value'");
        return 0;
}

static int dns_srv_number(xmlNodePtr c, const char *attr, int *ret, VmmError *error)
{
        unsigned int v;
        int r;

        *ret = -1;
        r = vmm_xml_prop_uint(c, attr, &v, error);
        if (r <= 0)
                return r;
        if (v > 65535)
                return vmm_xml_attr_error(error, c, attr,
                                          "%u is out of range (expected 0 to 65535)", v);
        *ret = (int)v;
        return 0;
}

static int dns_parse_srv(xmlNodePtr c, VmmNetworkDns *dns, VmmError *error)
{
        static const char *const attrs[] = {"service", "protocol", "domain", "target",
                                            "port",    "priority", "weight", NULL};
        VmmNetworkDnsSrv *s;
        int r;

        r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        s = vmm_network_array_add((void **)&dns->srvs, &dns->n_srvs, sizeof(*s));
        if (!s)
                return vmm_error_oom(error);
        s->service = vmm_xml_get_prop(c, "service");
        s->protocol = vmm_xml_get_prop(c, "protocol");
        s->domain = vmm_xml_get_prop(c, "domain");
        s->target = vmm_xml_get_prop(c, "target");
        if (!s->service || !*s->service)
                return vmm_xml_error(error, c, "missing attribute 'service'");
        if (!s->protocol || (strcmp(s->protocol, "tcp") != 0 && strcmp(s->protocol, "udp") != 0))
                return vmm_xml_attr_error(error, c, "protocol",
                                          "\"%s\" is not valid (expected \"tcp\" or \"udp\")",
                                          s->protocol ? s->protocol : "");
        if ((r = dns_srv_number(c, "port", &s->port, error)) < 0 ||
            (r = dns_srv_number(c, "priority", &s->priority, error)) < 0 ||
            (r = dns_srv_number(c, "weight", &s->weight, error)) < 0)
                return r;
        return 0;
}

static int dns_parse_host(xmlNodePtr c, VmmNetworkDns *dns, VmmError *error)
{
        static const char *const children[] = {"hostname", NULL};
        static const char *const attrs[] = {"ip", NULL};
        VmmNetworkDnsHost *h;
        int r;

        r = vmm_xml_check_node(c, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        h = vmm_network_array_add((void **)&dns->hosts, &dns->n_hosts, sizeof(*h));
        if (!h)
                return vmm_error_oom(error);
        r = vmm_netaddr_prop(c, "ip", 0, &h->ip, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, c, "missing attribute 'ip'");
        for (xmlNodePtr n = c->children; n; n = n->next) {
                char **name;

                if (!vmm_xml_is(n, "hostname"))
                        continue;
                name =
                    vmm_network_array_add((void **)&h->hostnames, &h->n_hostnames, sizeof(*name));
                if (!name)
                        return vmm_error_oom(error);
                *name = vmm_xml_get_text(n);
                if (!*name)
                        return vmm_error_oom(error);
                if (!**name)
                        return vmm_xml_error(error, n, "is empty (expected a host name)");
        }
        if (h->n_hostnames == 0)
                return vmm_xml_error(error, c, "has no <hostname> (expected at least one)");
        return 0;
}

int vmm_network_dns_parse(xmlNodePtr node, unsigned int flags, VmmNetworkDns *dns, VmmError *error)
{
        static const char *const children[] = {"forwarder", "txt", "srv", "host", NULL};
        static const char *const attrs[] = {"enable", "forwardPlainNames", NULL};
        int r = 0;

        r = vmm_xml_check_node(node, children, attrs, flags, &dns->unknown, error);
        if (r < 0)
                return r;
        dns->present = true;
        if ((r = vmm_network_prop_tristate(node, "enable", &dns->enable, error)) < 0 ||
            (r = vmm_network_prop_tristate(node, "forwardPlainNames", &dns->forward_plain_names,
                                           error)) < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                if (vmm_xml_is(c, "forwarder"))
                        r = dns_parse_forwarder(c, dns, error);
                else if (vmm_xml_is(c, "txt"))
                        r = dns_parse_txt(c, dns, error);
                else if (vmm_xml_is(c, "srv"))
                        r = dns_parse_srv(c, dns, error);
                else if (vmm_xml_is(c, "host"))
                        r = dns_parse_host(c, dns, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

void vmm_network_dns_format(const VmmNetworkDns *dns, xmlNodePtr parent)
{
        xmlNodePtr n;

        if (!dns->present)
                return;
        n = vmm_xml_new_child(parent, "dns", NULL);
        vmm_network_set_tristate(n, "enable", dns->enable, false);
        vmm_network_set_tristate(n, "forwardPlainNames", dns->forward_plain_names, false);
        for (size_t i = 0; i < dns->n_forwarders; i++) {
                xmlNodePtr c = vmm_xml_new_child(n, "forwarder", NULL);
                vmm_netaddr_set_prop(c, "addr", &dns->forwarders[i].addr);
                vmm_xml_set_prop(c, "domain", dns->forwarders[i].domain);
        }
        for (size_t i = 0; i < dns->n_txts; i++) {
                xmlNodePtr c = vmm_xml_new_child(n, "txt", NULL);
                vmm_xml_set_prop(c, "name", dns->txts[i].name);
                vmm_xml_set_prop(c, "value", dns->txts[i].value);
        }
        for (size_t i = 0; i < dns->n_srvs; i++) {
                const VmmNetworkDnsSrv *s = &dns->srvs[i];
                xmlNodePtr c = vmm_xml_new_child(n, "srv", NULL);
                vmm_xml_set_prop(c, "service", s->service);
                vmm_xml_set_prop(c, "protocol", s->protocol);
                vmm_xml_set_prop(c, "domain", s->domain);
                vmm_xml_set_prop(c, "target", s->target);
                if (s->port >= 0)
                        vmm_xml_set_propf(c, "port", "%d", s->port);
                if (s->priority >= 0)
                        vmm_xml_set_propf(c, "priority", "%d", s->priority);
                if (s->weight >= 0)
                        vmm_xml_set_propf(c, "weight", "%d", s->weight);
        }
        for (size_t i = 0; i < dns->n_hosts; i++) {
                xmlNodePtr c = vmm_xml_new_child(n, "host", NULL);
                vmm_netaddr_set_prop(c, "ip", &dns->hosts[i].ip);
                for (size_t j = 0; j < dns->hosts[i].n_hostnames; j++)
                        vmm_xml_new_child(c, "hostname", dns->hosts[i].hostnames[j]);
        }
        vmm_xml_unknown_format(&dns->unknown, n);
}

static bool dns_records_equal(const VmmNetworkDns *a, const VmmNetworkDns *b, char **d)
{
        char w[64];

        for (size_t i = 0; i < a->n_forwarders; i++) {
                snprintf(w, sizeof(w), "dns forwarder[%zu] ", i);
                if (!vmm_netaddr_diff(d, w, "addr", &a->forwarders[i].addr,
                                      &b->forwarders[i].addr) ||
                    !vmm_diff_str(d, w, "domain", a->forwarders[i].domain, b->forwarders[i].domain))
                        return false;
        }
        for (size_t i = 0; i < a->n_txts; i++) {
                snprintf(w, sizeof(w), "dns txt[%zu] ", i);
                if (!vmm_diff_str(d, w, "name", a->txts[i].name, b->txts[i].name) ||
                    !vmm_diff_str(d, w, "value", a->txts[i].value, b->txts[i].value))
                        return false;
        }
        for (size_t i = 0; i < a->n_srvs; i++) {
                const VmmNetworkDnsSrv *x = &a->srvs[i], *y = &b->srvs[i];
                snprintf(w, sizeof(w), "dns srv[%zu] ", i);
                if (!vmm_diff_str(d, w, "service", x->service, y->service) ||
                    !vmm_diff_str(d, w, "protocol", x->protocol, y->protocol) ||
                    !vmm_diff_str(d, w, "domain", x->domain, y->domain) ||
                    !vmm_diff_str(d, w, "target", x->target, y->target) ||
                    !vmm_diff_int(d, w, "port", x->port, y->port) ||
                    !vmm_diff_int(d, w, "priority", x->priority, y->priority) ||
                    !vmm_diff_int(d, w, "weight", x->weight, y->weight))
                        return false;
        }
        for (size_t i = 0; i < a->n_hosts; i++) {
                snprintf(w, sizeof(w), "dns host[%zu] ", i);
                if (!vmm_netaddr_diff(d, w, "ip", &a->hosts[i].ip, &b->hosts[i].ip) ||
                    !vmm_diff_u64(d, w, "hostname count", a->hosts[i].n_hostnames,
                                  b->hosts[i].n_hostnames))
                        return false;
                for (size_t j = 0; j < a->hosts[i].n_hostnames; j++)
                        if (!vmm_diff_str(d, w, "hostname", a->hosts[i].hostnames[j],
                                          b->hosts[i].hostnames[j]))
                                return false;
        }
        return true;
}

bool vmm_network_dns_equal(const VmmNetworkDns *a, const VmmNetworkDns *b, char **d)
{
        return vmm_diff_bool(d, "", "dns", a->present, b->present) &&
               vmm_diff_tristate(d, "dns ", "enable", a->enable, b->enable) &&
               vmm_diff_tristate(d, "dns ", "forwardPlainNames", a->forward_plain_names,
                                 b->forward_plain_names) &&
               vmm_diff_u64(d, "dns ", "forwarder count", a->n_forwarders, b->n_forwarders) &&
               vmm_diff_u64(d, "dns ", "txt count", a->n_txts, b->n_txts) &&
               vmm_diff_u64(d, "dns ", "srv count", a->n_srvs, b->n_srvs) &&
               vmm_diff_u64(d, "dns ", "host count", a->n_hosts, b->n_hosts) &&
               dns_records_equal(a, b, d) &&
               (vmm_xml_unknown_equal(&a->unknown, &b->unknown) ||
                vmm_diff_set(d, "dns: unknown content kept differs"));
}

void vmm_network_dns_done(VmmNetworkDns *dns)
{
        for (size_t i = 0; i < dns->n_forwarders; i++)
                free(dns->forwarders[i].domain);
        for (size_t i = 0; i < dns->n_txts; i++) {
                free(dns->txts[i].name);
                free(dns->txts[i].value);
        }
        for (size_t i = 0; i < dns->n_srvs; i++) {
                free(dns->srvs[i].service);
                free(dns->srvs[i].protocol);
                free(dns->srvs[i].domain);
                free(dns->srvs[i].target);
        }
        for (size_t i = 0; i < dns->n_hosts; i++) {
                for (size_t j = 0; j < dns->hosts[i].n_hostnames; j++)
                        free(dns->hosts[i].hostnames[j]);
                free(dns->hosts[i].hostnames);
        }
        free(dns->forwarders);
        free(dns->txts);
        free(dns->srvs);
        free(dns->hosts);
        vmm_xml_unknown_done(&dns->unknown);
        memset(dns, 0, sizeof(*dns));
}
