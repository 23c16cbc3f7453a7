/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * list-domains.c: the smallest useful libvmm program. Opens a connection
 * (test:///default unless a URI is given) and prints each domain with its
 * id, state and memory, as `vmmctl list --all` would.
 *
 *   cc list-domains.c $(pkg-config --cflags --libs libvmm) -o list-domains
 *   ./list-domains [URI]
 */
#include <stdio.h>
#include <vmm/vmm.h>

int main(int argc, char **argv)
{
        const char *uri = argc > 1 ? argv[1] : "test:///default";
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        VmmDomain **doms = NULL;
        size_t n = 0;

        if (vmm_connect_open(uri, VMM_CONNECT_READ_ONLY, &conn, &error) < 0) {
                fprintf(stderr, "cannot open %s: %s\n", uri, vmm_error_message(&error));
                vmm_error_clear(&error);
                return 1;
        }
        if (vmm_domain_list_all(conn, 0, &doms, &n, &error) < 0) {
                fprintf(stderr, "cannot list domains: %s\n", vmm_error_message(&error));
                vmm_error_clear(&error);
                vmm_connect_close(conn);
                return 1;
        }

        printf("%5s  %-20s %-10s %12s\n", "Id", "Name", "State", "Memory KiB");
        for (size_t i = 0; i < n; i++) {
                VmmDomainInfo info;
                int id = vmm_domain_get_id(doms[i]);
                char id_text[16];

                if (vmm_domain_get_info(doms[i], &info, &error) < 0) {
                        fprintf(stderr, "%s: %s\n", vmm_domain_get_name(doms[i]),
                                vmm_error_message(&error));
                        vmm_error_clear(&error);
                        continue;
                }
                if (id >= 0)
                        snprintf(id_text, sizeof(id_text), "%d", id);
                else
                        snprintf(id_text, sizeof(id_text), "-");
                printf("%5s  %-20s %-10s %12llu\n", id_text, vmm_domain_get_name(doms[i]),
                       vmm_domain_state_to_string(info.state), (unsigned long long)info.memory_kib);
        }
        vmm_domain_list_free(doms, n);
        vmm_connect_close(conn);
        return 0;
}
