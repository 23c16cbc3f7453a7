/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices-helpers.h: what the device tests share: parse a <devices>
 * fragment, format it back, check the roundtrip and validate the output
 * against schemas/domain-devices.rng. Include after cmocka.h.
 */
#pragma once

#include <libxml/relaxng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/domain-device.h"
#include "conf/xml-util.h"
#include "util/error.h"

static inline VmmDomainDevices *devs_parse_flags(const char *xml, unsigned int flags)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        VmmDomainDevices *devs = NULL;
        VmmError e = VMM_ERROR_INIT;

        assert_int_equal(vmm_xml_parse(xml, (size_t)-1, "test", &doc, &e), 0);
        if (vmm_domain_devices_parse(xmlDocGetRootElement(doc), flags, &devs, &e) < 0)
                fail_msg("parse failed: %s", vmm_error_message(&e));
        return devs;
}

static inline VmmDomainDevices *devs_parse(const char *xml)
{
        return devs_parse_flags(xml, 0);
}

/* The message of a failing parse (heap). */
static inline char *devs_parse_error(const char *xml)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        VmmDomainDevices *devs = NULL;
        VmmError e = VMM_ERROR_INIT;
        char *msg;

        assert_int_equal(vmm_xml_parse(xml, (size_t)-1, "test", &doc, &e), 0);
        assert_int_equal(vmm_domain_devices_parse(xmlDocGetRootElement(doc), 0, &devs, &e),
                         -EINVAL);
        assert_null(devs);
        msg = strdup(vmm_error_message(&e));
        vmm_error_clear(&e);
        return msg;
}

/* The message of a failing validation of parsed devices (heap). */
static inline char *devs_validate_error(const char *xml)
{
        VmmDomainDevices *devs = devs_parse(xml);
        VmmError e = VMM_ERROR_INIT;
        char *msg;

        assert_int_equal(vmm_domain_devices_validate(devs, &e), -EINVAL);
        msg = strdup(vmm_error_message(&e));
        vmm_error_clear(&e);
        vmm_domain_devices_free(devs);
        return msg;
}

static inline void devs_validate_ok(const VmmDomainDevices *devs)
{
        VmmError e = VMM_ERROR_INIT;

        if (vmm_domain_devices_validate(devs, &e) < 0)
                fail_msg("validate failed: %s", vmm_error_message(&e));
}

/* <domain><devices>...</devices></domain> as a document. */
static inline xmlDocPtr devs_format_doc(const VmmDomainDevices *devs, unsigned int flags)
{
        xmlNodePtr root;
        xmlDocPtr doc = vmm_xml_new_doc("domain", &root);
        VmmError e = VMM_ERROR_INIT;

        assert_non_null(doc);
        if (vmm_domain_devices_format(devs, root, flags, &e) < 0)
                fail_msg("format failed: %s", vmm_error_message(&e));
        return doc;
}

static inline char *devs_format_flags(const VmmDomainDevices *devs, unsigned int flags)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = devs_format_doc(devs, flags);
        VmmError e = VMM_ERROR_INIT;
        char *s = NULL;

        assert_int_equal(vmm_xml_doc_to_string(doc, &s, &e), 0);
        return s;
}

static inline char *devs_format(const VmmDomainDevices *devs)
{
        return devs_format_flags(devs, 0);
}

/* Validates the <devices> element of `doc` against the devices schema
 * (through a small grammar whose start is the `devices` define). Returns
 * 0 or -1 and prints the schema's complaints. */
static void devs_schema_quiet(void *userdata, xmlErrorPtr e)
{
        if (userdata)
                fprintf(stderr, "schema: line %d: %s", e->line, e->message ? e->message : "?");
}

static inline int devs_schema_check(xmlDocPtr doc, bool verbose)
{
        char rng[4096];
        xmlRelaxNGParserCtxtPtr pctxt;
        xmlRelaxNGValidCtxtPtr vctxt;
        static xmlRelaxNGPtr schema;
        xmlDocPtr sub;
        xmlNodePtr devices = vmm_xml_child(xmlDocGetRootElement(doc), "devices");
        int r;

        if (!devices && vmm_xml_is(xmlDocGetRootElement(doc), "devices"))
                devices = xmlDocGetRootElement(doc);
        if (!devices)
                return 0;
        snprintf(rng, sizeof(rng),
                 "<grammar xmlns='http://relaxng.org/ns/structure/1.0'>"
                 "<include href='%s/schemas/domain-devices.rng'/>"
                 "<start><ref name='devices'/></start></grammar>",
                 VMM_SOURCE_DIR);
        /* compiled once per test program (kept, reachable, until exit) */
        if (!schema) {
                pctxt = xmlRelaxNGNewMemParserCtxt(rng, (int)strlen(rng));
                schema = xmlRelaxNGParse(pctxt);
                xmlRelaxNGFreeParserCtxt(pctxt);
        }
        assert_non_null(schema);
        sub = xmlNewDoc((const xmlChar *)"1.0");
        xmlDocSetRootElement(sub, xmlDocCopyNode(devices, sub, 1));
        vctxt = xmlRelaxNGNewValidCtxt(schema);
        xmlRelaxNGSetValidStructuredErrors(vctxt, devs_schema_quiet, verbose ? vctxt : NULL);
        r = xmlRelaxNGValidateDoc(vctxt, sub);
        xmlRelaxNGFreeValidCtxt(vctxt);
        xmlFreeDoc(sub);
        return r == 0 ? 0 : -1;
}

/* format → schema-valid → parse → equal to the original. Returns the
 * formatted text (heap) for further checks. */
static inline char *devs_roundtrip_schema(const VmmDomainDevices *devs, bool schema)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc =
            devs_format_doc(devs, VMM_DOMAIN_DEVICES_FORMAT_SECURE);
        VmmDomainDevices *again = NULL;
        VmmError e = VMM_ERROR_INIT;
        char *diff = NULL, *text = NULL;
        xmlNodePtr node;

        assert_int_equal(vmm_xml_doc_to_string(doc, &text, &e), 0);
        if (schema && devs_schema_check(doc, true) < 0)
                fail_msg("formatted devices do not match the schema:\n%s", text);
        node = vmm_xml_child(xmlDocGetRootElement(doc), "devices");
        if (!node) {
                again = vmm_domain_devices_new();
        } else if (vmm_domain_devices_parse(node, VMM_XML_KEEP_UNKNOWN, &again, &e) < 0)
                fail_msg("reparse failed: %s\n%s", vmm_error_message(&e), text);
        if (!vmm_domain_devices_equal(devs, again, &diff))
                fail_msg("roundtrip differs: %s\n%s", diff, text);
        vmm_domain_devices_free(again);
        return text;
}

static inline char *devs_roundtrip(const VmmDomainDevices *devs)
{
        return devs_roundtrip_schema(devs, true);
}

#define assert_contains(haystack, needle)                                                          \
        do {                                                                                       \
                if (!strstr((haystack), (needle)))                                                 \
                        fail_msg("\"%s\" not found in:\n%s", (needle), (haystack));                \
        } while (0)
