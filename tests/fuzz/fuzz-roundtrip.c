/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-roundtrip.c: libFuzzer target for `vmm-xml roundtrip` on any kind
 * (seeds: every folder of ../shared/corpus/). It runs the library's own
 * end-to-end check, vmm_conf_check(): detect the kind from the root
 * element, parse, semantic checks, format, parse the output, compare.
 *
 * Rejecting the input (malformed, unknown root, model or schema error,
 * semantic error) is fine. A document that was accepted and then fails to
 * format, to match our schema after formatting, to parse back, or to
 * compare equal is a bug: abort() with the stage, the message and the
 * formatted XML, so libFuzzer keeps the input.
 *
 * Each input goes through three passes: strict without the schema (fast,
 * the model alone), keeping unknown elements, and, for documents the
 * first pass accepted, the full check with our RelaxNG schemas as
 * `vmm-xml roundtrip` runs it (skipped when VMM_FUZZ_NO_SCHEMA is set, for
 * speed). VMM_FUZZ_KNOWN (fuzz-common.h) lets a long run look past bugs
 * already reported.
 */
#include "fuzz-common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        fuzz_init();
        return 0;
}

static int fuzz_roundtrip(const uint8_t *data, size_t size, unsigned int flags, const char *pass)
{
        VmmConfCheck check = VMM_CONF_CHECK_INIT;
        int r;

        r = vmm_conf_check((const char *)data, size, "fuzz input", flags | VMM_CONF_CHECK_ROUNDTRIP,
                           &check);
        if (r < 0 && (!check.error.message || !check.error.message[0])) {
                fprintf(stderr,
                        "vmm-fuzz: roundtrip (%s): stage %s failed (%d) without a message\n", pass,
                        vmm_conf_stage_to_string(check.stage), r);
                abort();
        }
        if (r < 0 && vmm_conf_stage_is_roundtrip(check.stage) &&
            !fuzz_is_known(check.error.message)) {
                fprintf(stderr,
                        "vmm-fuzz: roundtrip (%s) of a %s document failed at stage %s: %s\n"
                        "--- formatted XML ---\n%s\n--- end ---\n",
                        pass, check.kind ? check.kind->name : "?",
                        vmm_conf_stage_to_string(check.stage), vmm_error_message(&check.error),
                        check.formatted ? check.formatted : "(none)");
                abort();
        }
        vmm_conf_check_done(&check);
        return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        int r;

        r = fuzz_roundtrip(data, size, VMM_CONF_CHECK_NO_SCHEMA, "strict, no schema");
        fuzz_roundtrip(data, size, VMM_CONF_CHECK_KEEP_UNKNOWN, "keep unknown");
        if (r == 0 && !getenv("VMM_FUZZ_NO_SCHEMA"))
                fuzz_roundtrip(data, size, 0, "with schema");
        return 0;
}
