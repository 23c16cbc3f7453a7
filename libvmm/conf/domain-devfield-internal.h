/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-devfield-internal.h: helpers shared by the table engine's files
 * (domain-devfield.c: parsing; domain-devfield-ops.c: formatting,
 * comparing, copying, freeing). */
#pragma once

#include <string.h>

#include "domain-devfield.h"

static inline void *fptr(const void *obj, size_t offset)
{
        return (char *)obj + offset;
}

static inline VmmDevExtra *devfield_extra(const VmmDevDesc *d, const void *obj)
{
        return fptr(obj, d->extra_offset);
}

static inline const VmmDevDesc *variant_of_value(const VmmDevDesc *d, int v)
{
        if (!d->variants || v <= 0 || v >= d->n_variants || !d->variants[v])
                return d;
        return d->variants[v];
}

static inline const VmmDevDesc *variant_of_obj(const VmmDevDesc *d, const void *obj)
{
        if (!d->variants)
                return d;
        return variant_of_value(d, *(const int *)((const char *)obj + d->fields[0].offset));
}

static inline bool is_scalar(VmmDevFieldKind k)
{
        return k != VMM_DEVF_SUB && k != VMM_DEVF_LIST;
}

static inline bool same_elem(const char *a, const char *b)
{
        if (!a || !b)
                return a == b;
        return strcmp(a, b) == 0;
}

/* Whether field i is the first one living in its child element. */
static inline bool first_of_group(const VmmDevDesc *d, size_t i)
{
        for (size_t j = 0; j < i; j++)
                if (same_elem(d->fields[j].elem, d->fields[i].elem))
                        return false;
        return true;
}

/* The kept unknown content of child element `elem`, created on demand. */
VmmXmlUnknown *vmm_devfield_extra_group(VmmDevExtra *x, const char *elem, bool create);
/* Appends to a VMM_DEVF_LIST array; -ENOMEM. */
int vmm_devfield_list_append(void ***items, size_t *n, void *item);
