/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-common.h: what every libFuzzer target of the XML models does with
 * one input. A target is one small file naming its kind:
 *
 *   int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
 *   {
 *           return fuzz_conf_kind_one(VMM_CONF_KIND_NETWORK, data, size);
 *   }
 *
 * An input the parser rejects is fine, as long as the rejection carries a
 * message. Everything else the sanitizers or these checks catch is a bug:
 * a crash, a leak, undefined behaviour, a parse that succeeded without a
 * model, a failure without a message, or a model the formatter cannot
 * write. Those abort() with the reason on stderr, so libFuzzer keeps the
 * input as a crash artifact (unless VMM_FUZZ_KNOWN lists the message).
 */
#pragma once

#include <errno.h>
#include <libxml/xmlerror.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf-kind.h"
#include "conf/xml-util.h"
#include "util/error.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libxml2 messages that escape the parsers' own handlers would flood the
 * fuzzer's output (and slow it): drop them. */
static inline void fuzz_xml_silent(void *ctx, const char *msg, ...)
{
        (void)ctx;
        (void)msg;
}

static inline void fuzz_init(void)
{
        xmlSetGenericErrorFunc(NULL, fuzz_xml_silent);
}

/*
 * VMM_FUZZ_KNOWN="text|other text": failures whose message contains one of
 * these texts are known (already reported) bugs and do not stop the run,
 * so a long run can look past them for new ones. Unset in the test suite.
 */
static inline bool fuzz_is_known(const char *message)
{
        const char *known = getenv("VMM_FUZZ_KNOWN");

        while (message && known && *known) {
                size_t n = strcspn(known, "|");
                char text[256];

                if (n > 0 && n < sizeof(text)) {
                        memcpy(text, known, n);
                        text[n] = '\0';
                        if (strstr(message, text))
                                return true;
                }
                known += n + (known[n] == '|');
        }
        return false;
}

static inline void fuzz_bug(const char *kind, const char *what, const VmmError *error)
{
        if (error && fuzz_is_known(vmm_error_message(error)))
                return;
        fprintf(stderr, "vmm-fuzz: %s: %s%s%s\n", kind, what, error ? ": " : "",
                error ? vmm_error_message(error) : "");
        abort();
}

/* A failed call must say why: the user sees only the message. */
static inline void fuzz_check_failure(const char *kind, const char *step, int r,
                                      const VmmError *error)
{
        char what[128];

        if (r >= 0)
                return;
        if (!error->message || !error->message[0] || error->code != r) {
                snprintf(what, sizeof(what),
                         "%s failed (%d) without a matching message "
                         "(error code %d)",
                         step, r, error->code);
                fuzz_bug(kind, what, NULL);
        }
}

/* After a successful parse: the semantic checks may reject the model (with
 * a message); the formatter must write it, whatever the checks said. */
static inline void fuzz_conf_def_exercise(const VmmConfKind *kind, const void *def)
{
        VmmError error = VMM_ERROR_INIT;
        char *xml = NULL;
        int r;

        if (kind->validate) {
                r = kind->validate(def, &error);
                fuzz_check_failure(kind->name, "validate", r, &error);
                vmm_error_clear(&error);
        }
        r = kind->format(def, 0, &xml, &error);
        if (r < 0 && r != -ENOMEM)
                fuzz_bug(kind->name, "a parsed model failed to format", &error);
        if (r >= 0 && (!xml || !xml[0]))
                fuzz_bug(kind->name, "the formatter returned no XML", NULL);
        free(xml);
        vmm_error_clear(&error);
}

/* Parses one input as `id`, strictly and keeping unknown elements. */
static inline int fuzz_conf_kind_one(VmmConfKindId id, const uint8_t *data, size_t size)
{
        static const unsigned int flag_sets[] = {0, VMM_XML_KEEP_UNKNOWN};
        const VmmConfKind *kind = vmm_conf_kind_get(id);

        if (!kind || !kind->parse)
                fuzz_bug("fuzz", "kind not built in", NULL);
        for (size_t i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                void *def = NULL;
                int r;

                r = kind->parse((const char *)data, size, flag_sets[i], &def, &error);
                fuzz_check_failure(kind->name, "parse", r, &error);
                if (r >= 0 && !def)
                        fuzz_bug(kind->name, "parse succeeded without a model", NULL);
                if (r >= 0)
                        fuzz_conf_def_exercise(kind, def);
                if (def)
                        kind->free(def);
                vmm_error_clear(&error);
        }
        return 0;
}
