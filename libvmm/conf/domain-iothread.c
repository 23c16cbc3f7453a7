/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-iothread.c: <iothreads>, <iothreadids><iothread id thread_pool_min
 * thread_pool_max><poll max grow shrink/>, and <defaultiothread>. */
#include <errno.h>

#include "domain-priv.h"
#include "util/units.h"

static int iothread_parse_pool(xmlNodePtr node, int *min, int *max, VmmError *error)
{
        int r;

        r = vmm_xml_prop_int(node, "thread_pool_min", min, error);
        if (r >= 0)
                r = vmm_xml_prop_int(node, "thread_pool_max", max, error);
        if (r >= 0 && (*min < -1 || *max < -1))
                return vmm_xml_error(error, node, "thread pool sizes must not be negative");
        return r < 0 ? r : 0;
}

static int iothread_parse_poll(xmlNodePtr node, VmmDomainIothread *t, VmmError *error)
{
        static const char *const attrs[] = {"max", "grow", "shrink", NULL};
        int r;

        t->has_poll = true;
        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_uint64(node, "max", &t->poll_max, error);
        t->has_poll_max = r > 0;
        if (r >= 0)
                r = vmm_xml_prop_uint64(node, "grow", &t->poll_grow, error);
        t->has_poll_grow = r > 0;
        if (r >= 0)
                r = vmm_xml_prop_uint64(node, "shrink", &t->poll_shrink, error);
        t->has_poll_shrink = r > 0;
        return r < 0 ? r : 0;
}

static int iothread_parse_ids(xmlNodePtr node, VmmDomainTune *tune, VmmError *error)
{
        static const char *const children[] = {"iothread", NULL};
        static const char *const attrs[] = {"id", "thread_pool_min", "thread_pool_max", NULL};
        static const char *const poll[] = {"poll", NULL};
        int r;

        r = vmm_domain_util_check(node, children, NULL, error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainIothread *t;
                xmlNodePtr p;

                if (!vmm_xml_is(c, "iothread"))
                        continue;
                t = vmm_domain_util_grow(&tune->iothreadids, &tune->n_iothreadids, sizeof(*t));
                if (!t)
                        return vmm_error_oom(error);
                t->pool_min = t->pool_max = DOMAIN_ABSENT;
                r = vmm_domain_util_check(c, poll, attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "id", &t->id, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'id'");
                if (r > 0 && t->id == 0)
                        return vmm_xml_attr_error(error, c, "id", "must be at least 1");
                if (r >= 0)
                        r = iothread_parse_pool(c, &t->pool_min, &t->pool_max, error);
                if (r >= 0 && (p = vmm_xml_child(c, "poll")))
                        r = iothread_parse_poll(p, t, error);
                for (size_t i = 0; r >= 0 && i + 1 < tune->n_iothreadids; i++)
                        if (tune->iothreadids[i].id == t->id)
                                r = vmm_xml_error(error, c, "iothread id %u given twice", t->id);
        }
        return r < 0 ? r : 0;
}

int vmm_domain_iothread_parse(xmlNodePtr root, VmmDomainTune *tune, VmmError *error)
{
        static const char *const pool_attrs[] = {"thread_pool_min", "thread_pool_max", NULL};
        xmlNodePtr n;
        int r = 0;

        if ((n = vmm_xml_child(root, "iothreads"))) {
                _cleanup_free_ char *text = vmm_xml_get_text(n);

                r = vmm_domain_util_check(n, NULL, NULL, error);
                if (r < 0)
                        return r;
                if (!text)
                        return vmm_error_oom(error);
                if (vmm_parse_uint(text, &tune->iothreads, "iothreads", NULL) < 0)
                        return vmm_xml_error(error, n, "\"%s\" is not a number of threads", text);
        }
        if ((n = vmm_xml_child(root, "iothreadids")))
                r = iothread_parse_ids(n, tune, error);
        if (r >= 0 && (n = vmm_xml_child(root, "defaultiothread"))) {
                tune->has_default_iothread = true;
                r = vmm_domain_util_check(n, NULL, pool_attrs, error);
                if (r >= 0)
                        r = iothread_parse_pool(n, &tune->default_pool_min, &tune->default_pool_max,
                                                error);
        }
        return r < 0 ? r : 0;
}

static void iothread_format_pool(xmlNodePtr n, int min, int max)
{
        if (min >= 0)
                vmm_xml_set_propf(n, "thread_pool_min", "%d", min);
        if (max >= 0)
                vmm_xml_set_propf(n, "thread_pool_max", "%d", max);
}

void vmm_domain_iothread_format(const VmmDomainTune *tune, xmlNodePtr root)
{
        char text[16];

        if (tune->iothreads) {
                snprintf(text, sizeof(text), "%u", tune->iothreads);
                vmm_xml_new_child(root, "iothreads", text);
        }
        if (tune->n_iothreadids) {
                xmlNodePtr ids = vmm_xml_new_child(root, "iothreadids", NULL);

                for (size_t i = 0; i < tune->n_iothreadids; i++) {
                        const VmmDomainIothread *t = &tune->iothreadids[i];
                        xmlNodePtr n = vmm_xml_new_child(ids, "iothread", NULL);

                        vmm_domain_util_set_uint(n, "id", t->id);
                        iothread_format_pool(n, t->pool_min, t->pool_max);
                        if (t->has_poll) {
                                xmlNodePtr p = vmm_xml_new_child(n, "poll", NULL);

                                if (t->has_poll_max)
                                        vmm_domain_util_set_u64(p, "max", t->poll_max);
                                if (t->has_poll_grow)
                                        vmm_domain_util_set_u64(p, "grow", t->poll_grow);
                                if (t->has_poll_shrink)
                                        vmm_domain_util_set_u64(p, "shrink", t->poll_shrink);
                        }
                }
        }
        if (tune->has_default_iothread)
                iothread_format_pool(vmm_xml_new_child(root, "defaultiothread", NULL),
                                     tune->default_pool_min, tune->default_pool_max);
}

bool vmm_domain_iothread_equal(const VmmDomainTune *a, const VmmDomainTune *b, char **diff)
{
        if (!d_eq_int(diff, "iothreads", a->iothreads, b->iothreads) ||
            !d_eq_int(diff, "iothreadids", (long long)a->n_iothreadids,
                      (long long)b->n_iothreadids) ||
            !d_eq_int(diff, "defaultiothread", a->has_default_iothread, b->has_default_iothread) ||
            !d_eq_int(diff, "defaultiothread thread_pool_min", a->default_pool_min,
                      b->default_pool_min) ||
            !d_eq_int(diff, "defaultiothread thread_pool_max", a->default_pool_max,
                      b->default_pool_max))
                return false;
        for (size_t i = 0; i < a->n_iothreadids; i++) {
                const VmmDomainIothread *x = &a->iothreadids[i], *y = &b->iothreadids[i];

                if (!d_eq_int(diff, "iothread id", x->id, y->id) ||
                    !d_eq_int(diff, "iothread thread_pool_min", x->pool_min, y->pool_min) ||
                    !d_eq_int(diff, "iothread thread_pool_max", x->pool_max, y->pool_max) ||
                    !d_eq_int(diff, "iothread poll", x->has_poll, y->has_poll) ||
                    !d_eq_int(diff, "iothread poll max", x->has_poll_max, y->has_poll_max) ||
                    !d_eq_u64(diff, "iothread poll max", x->poll_max, y->poll_max) ||
                    !d_eq_int(diff, "iothread poll grow", x->has_poll_grow, y->has_poll_grow) ||
                    !d_eq_u64(diff, "iothread poll grow", x->poll_grow, y->poll_grow) ||
                    !d_eq_int(diff, "iothread poll shrink", x->has_poll_shrink,
                              y->has_poll_shrink) ||
                    !d_eq_u64(diff, "iothread poll shrink", x->poll_shrink, y->poll_shrink))
                        return false;
        }
        return true;
}
