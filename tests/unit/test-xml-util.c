/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-xml-util: the shared XML reader: refused documents (DOCTYPE,
 * entities, size, malformed with line and column) and element text that
 * does not include the text of child elements (a fuzzing find: the
 * formatter wrote such text twice).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/xml-util.h"

static xmlDocPtr parse_ok(const char *xml)
{
        VmmError err = VMM_ERROR_INIT;
        xmlDocPtr doc = NULL;

        assert_int_equal(vmm_xml_parse(xml, (size_t)-1, "test", &doc, &err), 0);
        return doc;
}

static void test_own_text_only(void **state)
{
        xmlDocPtr doc = parse_ok("<a>one<b>two</b>three<![CDATA[four]]></a>");
        char *text = vmm_xml_get_text(xmlDocGetRootElement(doc));

        assert_string_equal(text, "onethreefour");
        free(text);
        xmlFreeDoc(doc);
}

static void test_refusals(void **state)
{
        static const struct {
                const char *xml;
                int code;
                const char *message;
        } cases[] = {
                {"<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>", -EINVAL,
                 "a DOCTYPE is not allowed"},
                {"<a>&x;</a>", -EINVAL, "malformed XML"},
                {"<a>\n  <b></a>", -EINVAL, "line 2, column"},
                {"", -EINVAL, "document is empty"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError err = VMM_ERROR_INIT;
                xmlDocPtr doc = NULL;

                assert_int_equal(vmm_xml_parse(cases[i].xml, (size_t)-1, "test", &doc, &err),
                                 cases[i].code);
                assert_null(doc);
                assert_non_null(strstr(vmm_error_message(&err), cases[i].message));
                vmm_error_clear(&err);
        }
}

static void test_size_limit(void **state)
{
        size_t n = VMM_XML_MAX_SIZE + 16;
        char *big = malloc(n + 1);
        VmmError err = VMM_ERROR_INIT;
        xmlDocPtr doc = NULL;

        assert_non_null(big);
        memset(big, ' ', n);
        memcpy(big, "<a>", 3);
        big[n] = '\0';
        assert_int_equal(vmm_xml_parse(big, n, "big.xml", &doc, &err), -EFBIG);
        assert_non_null(strstr(vmm_error_message(&err), "big.xml: document is larger than"));
        vmm_error_clear(&err);
        free(big);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_own_text_only),
                cmocka_unit_test(test_refusals),
                cmocka_unit_test(test_size_limit),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
