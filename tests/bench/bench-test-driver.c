/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-test-driver.c: how the embedded test driver scales, through the
 * public API: defines per second, and the time of a full vmm_domain_list_all()
 * (median of several runs) with 1,000 and with 10,000 defined domains, plus
 * lookups by name at 10,000.
 *
 *   bench-test-driver [URI]      (default test:///default)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vmm/vmm.h>

#include "bench-util.h"

#define LIST_RUNS 9

/* Defines domains bench-<from> .. bench-<to - 1>; returns the rate. */
static double define_range(VmmConnect *conn, int from, int to)
{
        double start = now_ms();

        for (int i = from; i < to; i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmDomain *dom = NULL;
                char xml[512];

                snprintf(xml, sizeof(xml),
                         "<domain type='test'><name>bench-%05d</name>"
                         "<uuid>%08x-1234-4567-89ab-%012x</uuid>"
                         "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                         "<os><type>hvm</type></os></domain>",
                         i, 0xbe0c0000u + (unsigned int)i, (unsigned int)i);
                if (vmm_domain_define_xml(conn, xml, 0, &dom, &error) < 0) {
                        fprintf(stderr, "define bench-%05d: %s\n", i, vmm_error_message(&error));
                        exit(1);
                }
                vmm_domain_unref(dom);
        }
        return (to - from) / ((now_ms() - start) / 1e3);
}

static double list_median_ms(VmmConnect *conn, size_t expect)
{
        double runs[LIST_RUNS];

        for (int r = 0; r < LIST_RUNS; r++) {
                VmmError error = VMM_ERROR_INIT;
                VmmDomain **doms = NULL;
                size_t n = 0;
                double start = now_ms();

                if (vmm_domain_list_all(conn, 0, &doms, &n, &error) < 0) {
                        fprintf(stderr, "list: %s\n", vmm_error_message(&error));
                        exit(1);
                }
                vmm_domain_list_free(doms, n);
                runs[r] = now_ms() - start;
                if (n != expect) {
                        fprintf(stderr, "list: %zu domains, expected %zu\n", n, expect);
                        exit(1);
                }
        }
        qsort(runs, LIST_RUNS, sizeof(double), compare_double);
        return runs[LIST_RUNS / 2];
}

static double lookups_per_s(VmmConnect *conn, int count, int n_lookups)
{
        double start = now_ms();

        for (int i = 0; i < n_lookups; i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmDomain *dom = NULL;
                char name[32];

                snprintf(name, sizeof(name), "bench-%05d", (i * 7919) % count);
                if (vmm_domain_lookup_by_name(conn, name, &dom, &error) < 0) {
                        fprintf(stderr, "lookup %s: %s\n", name, vmm_error_message(&error));
                        exit(1);
                }
                vmm_domain_unref(dom);
        }
        return n_lookups / ((now_ms() - start) / 1e3);
}

int main(int argc, char **argv)
{
        const char *uri = argc > 1 ? argv[1] : "test:///default";
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        size_t base;
        VmmDomain **doms = NULL;
        double rate;

        if (vmm_connect_open(uri, 0, &conn, &error) < 0) {
                fprintf(stderr, "open %s: %s\n", uri, vmm_error_message(&error));
                return 1;
        }
        if (vmm_domain_list_all(conn, 0, &doms, &base, &error) < 0) {
                fprintf(stderr, "list: %s\n", vmm_error_message(&error));
                return 1;
        }
        vmm_domain_list_free(doms, base);

        printf("test driver benchmark on %s (%zu domains before)\n", uri, base);
        rate = define_range(conn, 0, 1000);
        printf("define, first 1,000:         %10.0f defines/s\n", rate);
        printf("list-all at 1,000 domains:   %10.3f ms (median of %d)\n",
               list_median_ms(conn, base + 1000), LIST_RUNS);
        rate = define_range(conn, 1000, 10000);
        printf("define, 1,000 -> 10,000:     %10.0f defines/s\n", rate);
        printf("list-all at 10,000 domains:  %10.3f ms (median of %d)\n",
               list_median_ms(conn, base + 10000), LIST_RUNS);
        printf("lookup by name at 10,000:    %10.0f lookups/s\n",
               lookups_per_s(conn, 10000, 20000));
        vmm_connect_close(conn);
        return 0;
}
