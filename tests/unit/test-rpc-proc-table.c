/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Procedure tables: every table in the tree is consistent, and each rule
 * of the consistency check catches what it is meant to. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

static void test_real_tables_valid(void **state)
{
        const VmmRpcProgram *progs[] = {&vmm_rpc_program_control, &vmm_rpc_program_domain,
                                        &vmm_rpc_program_test};
        VmmError err = VMM_ERROR_INIT;

        for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
                if (vmm_rpc_program_validate(progs[i], &err) < 0)
                        fail_msg("%s", vmm_error_message(&err));
                for (size_t j = 0; j < progs[i]->n_procs; j++) {
                        const VmmRpcProc *p = &progs[i]->procs[j];
                        assert_ptr_equal(vmm_rpc_program_find(progs[i], p->number), p);
                        assert_ptr_equal(vmm_rpc_program_find_by_name(progs[i], p->name), p);
                }
                assert_null(vmm_rpc_program_find(progs[i], 0));
                assert_null(vmm_rpc_program_find(progs[i], (uint32_t)progs[i]->n_procs + 1));
        }
}

/* What a read-only socket lets through is decided by the table: writes
 * and lifecycle changes of the domain program are not read-only. */
static void test_domain_read_only_marks(void **state)
{
        static const char *const writes[] = {"define-xml", "undefine",      "start",
                                             "destroy",    "set-autostart", "create-xml"};
        static const char *const reads[] = {"list-all", "get-xml", "get-info", "lookup-by-name"};

        for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
                assert_false(
                    vmm_rpc_program_find_by_name(&vmm_rpc_program_domain, writes[i])->read_only);
        for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
                assert_true(
                    vmm_rpc_program_find_by_name(&vmm_rpc_program_domain, reads[i])->read_only);
}

#define E (&vmm__rpc_empty__descriptor)
#define K (&vmm__rpc_keepalive__descriptor)

static void expect_invalid(const VmmRpcProc *procs, size_t n, const char *needle)
{
        VmmRpcProgram prog = {
            .number = 0x1234, .version = 1, .name = "bad", .procs = procs, .n_procs = n};
        VmmError err = VMM_ERROR_INIT;

        assert_int_equal(vmm_rpc_program_validate(&prog, &err), -EINVAL);
        if (!strstr(vmm_error_message(&err), needle))
                fail_msg("expected \"%s\" in \"%s\"", needle, vmm_error_message(&err));
        vmm_error_clear(&err);
}

static void test_broken_tables(void **state)
{
        const VmmRpcProc gap[] = {
            {1, "a", VMM_RPC_PROC_CALL, E, E, "x.read", true, 0},
            {3, "b", VMM_RPC_PROC_CALL, E, E, "x.read", true, 0},
        };
        const VmmRpcProc dup_number[] = {
            {1, "a", VMM_RPC_PROC_CALL, E, E, "x.read", true, 0},
            {1, "b", VMM_RPC_PROC_CALL, E, E, "x.read", true, 0},
        };
        const VmmRpcProc dup_name[] = {
            {1, "a", VMM_RPC_PROC_CALL, E, E, "x.read", true, 0},
            {2, "a", VMM_RPC_PROC_CALL, E, E, "x.read", true, 0},
        };
        const VmmRpcProc no_reply[] = {{1, "a", VMM_RPC_PROC_CALL, E, NULL, "x.read", true, 0}};
        const VmmRpcProc no_request[] = {{1, "a", VMM_RPC_PROC_CALL, NULL, E, "x.read", true, 0}};
        const VmmRpcProc no_perm[] = {{1, "a", VMM_RPC_PROC_CALL, E, E, NULL, false, 0}};
        const VmmRpcProc event_reply[] = {{1, "tick", VMM_RPC_PROC_EVENT, K, E, NULL, true, 0}};
        const VmmRpcProc no_name[] = {{1, "", VMM_RPC_PROC_CALL, E, E, "x.read", true, 0}};
        const VmmRpcProc bad_prio[] = {{1, "a", VMM_RPC_PROC_CALL, E, E, "x.read", true, 7}};

        expect_invalid(gap, 2, "entry 1 ('b') has number 3 (expected 2");
        expect_invalid(dup_number, 2, "has number 1 (expected 2");
        expect_invalid(dup_name, 2, "procedures 1 and 2 are both named 'a'");
        expect_invalid(no_reply, 1, "procedure 'a' has no reply message");
        expect_invalid(no_request, 1, "procedure 'a' has no request message");
        expect_invalid(no_perm, 1, "procedure 'a' names no permission");
        expect_invalid(event_reply, 1, "event 'tick' names a reply message");
        expect_invalid(no_name, 1, "procedure 1 has no name");
        expect_invalid(bad_prio, 1, "priority 7");
        expect_invalid(NULL, 0, "table is empty");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_real_tables_valid),
            cmocka_unit_test(test_domain_read_only_marks),
            cmocka_unit_test(test_broken_tables),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
