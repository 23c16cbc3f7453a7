/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-domain.c: libFuzzer target for the <domain> parser and formatter
 * (seeds: ../shared/corpus/domain/). See fuzz-common.h for what counts as a bug. */
#include "fuzz-common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        fuzz_init();
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        return fuzz_conf_kind_one(VMM_CONF_KIND_DOMAIN, data, size);
}
