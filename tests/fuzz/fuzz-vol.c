/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-vol.c: libFuzzer target for the <volume> parser and formatter
 * (seeds: ../shared/corpus/vol/). A volume is read once without a pool
 * (as vmm-xml does) and once in the context of a pool type picked from
 * the input's bytes, so each input always meets the same pool type.
 * See fuzz-common.h for what counts as a bug. */
#include "conf/storage-vol.h"
#include "fuzz-common.h"

static const char *const fuzz_pool_types[] = {
    "dir",  "fs",    "netfs", "logical", "disk", "iscsi",    "iscsi-direct",
    "scsi", "mpath", "rbd",   "gluster", "zfs",  "vstorage",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        fuzz_init();
        return 0;
}

static const char *fuzz_vol_pool_type(const uint8_t *data, size_t size)
{
        unsigned int sum = 0;

        for (size_t i = 0; i < size; i++)
                sum = sum * 31 + data[i];
        return fuzz_pool_types[sum % (sizeof(fuzz_pool_types) / sizeof(fuzz_pool_types[0]))];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const VmmConfKind *kind = vmm_conf_kind_get(VMM_CONF_KIND_VOLUME);
        VmmError error = VMM_ERROR_INIT;
        VmmStorageVolDef *def = NULL;
        int r;

        fuzz_conf_kind_one(VMM_CONF_KIND_VOLUME, data, size);

        r = vmm_storage_vol_def_parse((const char *)data, size, fuzz_vol_pool_type(data, size), 0,
                                      &def, &error);
        fuzz_check_failure("volume", "parse in a pool", r, &error);
        if (r >= 0 && !def)
                fuzz_bug("volume", "parse in a pool succeeded without a model", NULL);
        if (r >= 0)
                fuzz_conf_def_exercise(kind, def);
        vmm_storage_vol_def_free(def);
        vmm_error_clear(&error);
        return 0;
}
