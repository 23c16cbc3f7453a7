/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-domain-devices-corpus.c: the <devices> section of every document in
 * ../shared/corpus/domain: parse (strictly), check the input against
 * schemas/domain-devices.rng, format, check the output, parse again and
 * compare. Prints the share of files that pass and each failure with its
 * message; fails when a file libvirt accepts (expect=ok, schema-valid)
 * does not pass. Skips (77) when the corpus is absent.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "devices-helpers.h"

typedef struct CorpusEntry {
        char file[256];
        bool expect_ok;
} CorpusEntry;

static size_t corpus_manifest(CorpusEntry *entries, size_t max)
{
        char path[4096], line[2048];
        size_t n = 0;
        FILE *f;

        snprintf(path, sizeof(path), "%s/MANIFEST.tsv", VMM_CORPUS_DIR);
        f = fopen(path, "re");
        if (!f)
                return 0;
        while (fgets(line, sizeof(line), f) && n < max) {
                char kind[32], file[256], expect[16], source[1024], size[32], rng[32];

                if (sscanf(line, "%31[^\t]\t%255[^\t]\t%15[^\t]\t%1023[^\t]\t%31[^\t]\t%31s", kind,
                           file, expect, source, size, rng) != 6 ||
                    strcmp(kind, "domain") != 0)
                        continue;
                snprintf(entries[n].file, sizeof(entries[n].file), "%s", file);
                entries[n].expect_ok = strcmp(expect, "ok") == 0 && strcmp(rng, "valid") == 0;
                n++;
        }
        fclose(f);
        return n;
}

/* 0 when the devices of `file` pass, -2 when they parse but validation
 * refuses them, else -1; the reason in *why. */
static int corpus_check(const char *file, char **why)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        _cleanup_(xmlFreeDocp) xmlDoc *out = NULL;
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *devs = NULL;
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *again = NULL;
        VmmError e = VMM_ERROR_INIT;
        char path[4096], *diff = NULL;
        xmlNodePtr node;

        snprintf(path, sizeof(path), "%s/domain/%s", VMM_CORPUS_DIR, file);
        {
                _cleanup_fclose_ FILE *f = fopen(path, "re");
                _cleanup_free_ char *data = calloc(1, 1 << 20);
                size_t n;

                assert_non_null(f);
                n = fread(data, 1, (1 << 20) - 1, f);
                if (vmm_xml_parse(data, n, file, &doc, &e) < 0)
                        goto fail;
        }
        node = vmm_xml_child(xmlDocGetRootElement(doc), "devices");
        if (!node)
                return 0;
        if (devs_schema_check(doc, getenv("VMM_TEST_VERBOSE") != NULL) < 0) {
                *why = strdup("input does not match schemas/domain-devices.rng");
                return -1;
        }
        if (vmm_domain_devices_parse(node, 0, &devs, &e) < 0)
                goto fail;
        if (vmm_domain_devices_validate(devs, &e) < 0) {
                *why = strdup(vmm_error_message(&e));
                vmm_error_clear(&e);
                return -2; /* parsed, but semantically refused */
        }
        out = devs_format_doc(devs, VMM_DOMAIN_DEVICES_FORMAT_SECURE);
        if (devs_schema_check(out, false) < 0) {
                *why = strdup("output does not match schemas/domain-devices.rng");
                return -1;
        }
        node = vmm_xml_child(xmlDocGetRootElement(out), "devices");
        if (!node)
                again = vmm_domain_devices_new(); /* nothing to write */
        else if (vmm_domain_devices_parse(node, 0, &again, &e) < 0)
                goto fail;
        if (!vmm_domain_devices_equal(devs, again, &diff)) {
                *why = diff;
                return -1;
        }
        /* a deep copy is equal too (and frees cleanly under ASan) */
        {
                _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *copy = NULL;

                if (vmm_domain_devices_copy(devs, &copy, &e) < 0)
                        goto fail;
                if (!vmm_domain_devices_equal(devs, copy, &diff)) {
                        *why = diff;
                        return -1;
                }
        }
        return 0;
fail:
        *why = strdup(vmm_error_message(&e));
        vmm_error_clear(&e);
        return -1;
}

static void test_corpus_devices(void **state)
{
        static CorpusEntry entries[1024];
        size_t n = corpus_manifest(entries, 1024), ok = 0, total = 0, all_ok = 0;
        size_t failed_expected = 0, refused = 0, invalid = 0;

        if (n == 0) {
                print_message("corpus not found in %s, skipping\n", VMM_CORPUS_DIR);
                skip();
        }
        for (size_t i = 0; i < n; i++) {
                char *why = NULL;
                int r = corpus_check(entries[i].file, &why);

                if (r == 0)
                        all_ok++;
                if (strstr(entries[i].file, "-invalid-")) {
                        invalid++;
                        refused += r == -2;
                }
                if (!entries[i].expect_ok) {
                        if (r < 0 && getenv("VMM_TEST_VERBOSE"))
                                print_message("(expected to fail) %s: %s\n", entries[i].file, why);
                        free(why);
                        continue;
                }
                total++;
                if (r == 0)
                        ok++;
                else {
                        failed_expected++;
                        print_message("FAIL %s: %s\n", entries[i].file, why);
                }
                free(why);
        }
        print_message("devices: %zu of %zu accepted documents pass (%zu of %zu in all); "
                      "device checks refuse %zu of %zu documents named -invalid-\n",
                      ok, total, all_ok, n, refused, invalid);
        assert_int_equal(failed_expected, 0);
}

/* The (parent, element, attribute) triples already tried: each is tried
 * once, in the first document that has it, to keep the test fast. */
typedef struct SeenSet {
        char **keys;
        size_t n;
} SeenSet;

static bool seen_before(SeenSet *seen, xmlNodePtr node, xmlAttrPtr a)
{
        char key[512];
        char **k;

        snprintf(key, sizeof(key), "%s/%s@%s", node->parent ? (const char *)node->parent->name : "",
                 (const char *)node->name, (const char *)a->name);
        for (size_t i = 0; i < seen->n; i++)
                if (strcmp(seen->keys[i], key) == 0)
                        return true;
        k = realloc(seen->keys, (seen->n + 1) * sizeof(*k));
        assert_non_null(k);
        seen->keys = k;
        seen->keys[seen->n++] = strdup(key);
        return false;
}

/* Sets every attribute under <devices>, one at a time, to a value no field
 * accepts as a number or a name, and checks the parser and the schema
 * agree on it: both refuse, or both accept (free text). */
static void mutate_and_compare(SeenSet *seen, xmlDocPtr doc, xmlNodePtr node, const char *file,
                               size_t *checked, size_t *disagree)
{
        xmlNodePtr devices = vmm_xml_child(xmlDocGetRootElement(doc), "devices");

        for (xmlAttrPtr a = node->properties; a; a = a->next) {
                VmmDomainDevices *devs = NULL;
                VmmError e = VMM_ERROR_INIT;
                bool parsed, valid;
                xmlChar *saved;

                if (seen_before(seen, node, a))
                        continue;
                saved = xmlNodeGetContent((xmlNodePtr)a);
                xmlNodeSetContent((xmlNodePtr)a, (const xmlChar *)"@@");
                parsed = vmm_domain_devices_parse(devices, 0, &devs, &e) == 0;
                valid = devs_schema_check(doc, false) == 0;
                if (parsed != valid) {
                        (*disagree)++;
                        print_message("DISAGREE %s line %ld <%s %s='@@'>: parser %s, schema %s "
                                      "(%s)\n",
                                      file, xmlGetLineNo(node), (const char *)node->name,
                                      (const char *)a->name, parsed ? "accepts" : "refuses",
                                      valid ? "accepts" : "refuses", vmm_error_message(&e));
                }
                (*checked)++;
                vmm_domain_devices_free(devs);
                vmm_error_clear(&e);
                xmlNodeSetContent((xmlNodePtr)a, saved);
                xmlFree(saved);
        }
        for (xmlNodePtr c = node->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE)
                        mutate_and_compare(seen, doc, c, file, checked, disagree);
}

static void test_corpus_schema_agrees(void **state)
{
        static CorpusEntry entries[1024];
        size_t n = corpus_manifest(entries, 1024), checked = 0, disagree = 0;
        SeenSet seen = {NULL, 0};

        for (size_t i = 0; i < n; i++) {
                _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
                _cleanup_free_ char *data = calloc(1, 1 << 20);
                _cleanup_fclose_ FILE *f = NULL;
                VmmError e = VMM_ERROR_INIT;
                char path[4096];
                xmlNodePtr devices;
                size_t len;

                if (!entries[i].expect_ok)
                        continue;
                assert_true(snprintf(path, sizeof(path), "%s/domain/%s", VMM_CORPUS_DIR,
                                     entries[i].file) < (int)sizeof(path));
                f = fopen(path, "re");
                assert_non_null(f);
                len = fread(data, 1, (1 << 20) - 1, f);
                assert_int_equal(vmm_xml_parse(data, len, entries[i].file, &doc, &e), 0);
                devices = vmm_xml_child(xmlDocGetRootElement(doc), "devices");
                if (devices)
                        for (xmlNodePtr c = devices->children; c; c = c->next)
                                if (c->type == XML_ELEMENT_NODE)
                                        mutate_and_compare(&seen, doc, c, entries[i].file, &checked,
                                                           &disagree);
        }
        print_message("schema and parser agree on %zu of %zu mutated attributes\n",
                      checked - disagree, checked);
        for (size_t i = 0; i < seen.n; i++)
                free(seen.keys[i]);
        free(seen.keys);
        assert_int_equal(disagree, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_corpus_devices),
            cmocka_unit_test(test_corpus_schema_agrees),
        };
        char manifest[4096];

        snprintf(manifest, sizeof(manifest), "%s/MANIFEST.tsv", VMM_CORPUS_DIR);
        if (access(manifest, R_OK) < 0) {
                printf("corpus not found in %s, skipping\n", VMM_CORPUS_DIR);
                return 77;
        }

        return cmocka_run_group_tests(tests, NULL, NULL);
}
