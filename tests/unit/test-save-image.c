/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The save image header (conf/save-image.h): encode and parse round trip,
 * every field's bound (a table of corruptions, each refused with an error
 * naming the file and the field), truncation at every interesting length,
 * reading from a file (body size, seek to the body), the temporary file
 * and its commit (mode 0600, atomic replacement, nothing left on failure)
 * and the replacement-XML check.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/save-image.h"
#include "util/error.h"

#define XML                                                                                        \
        "<domain type='qemu'><name>img1</name>"                                                    \
        "<uuid>11111111-2222-3333-4444-555555555555</uuid>"                                        \
        "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"

static uint8_t *encode(uint32_t flags, size_t *len)
{
        VmmError error = VMM_ERROR_INIT;
        uint8_t *buf = NULL;

        if (vmm_save_image_encode(XML, flags, &buf, len, &error) < 0)
                fail_msg("encode: %s", vmm_error_message(&error));
        return buf;
}

static void put32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static void test_roundtrip(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmSaveImageHeader hdr = {0};
        size_t len = 0;
        uint8_t *buf = encode(VMM_SAVE_IMAGE_WAS_RUNNING, &len);

        assert_int_equal(len, 4096);
        assert_memory_equal(buf, "VMMSAVE1", 8);
        assert_int_equal(vmm_save_image_parse(buf, len, "/x.img", &hdr, &error), 0);
        assert_int_equal(hdr.version, 1);
        assert_int_equal(hdr.flags, VMM_SAVE_IMAGE_WAS_RUNNING);
        assert_string_equal(hdr.xml, XML);
        assert_int_equal(hdr.data_offset, 4096);
        assert_int_equal(hdr.body_size, 0);
        vmm_save_image_header_done(&hdr);
        free(buf);

        buf = encode(0, &len);
        assert_int_equal(vmm_save_image_parse(buf, len, "/x.img", &hdr, &error), 0);
        assert_int_equal(hdr.flags, 0);
        vmm_save_image_header_done(&hdr);
        free(buf);
}

/* An XML whose header crosses a 4 KiB boundary pads to the next one. */
static void test_large_xml(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmSaveImageHeader hdr = {0};
        char *xml = malloc(6000);
        uint8_t *buf = NULL;
        size_t len = 0;

        memset(xml, 'x', 5999);
        xml[5999] = '\0';
        assert_int_equal(vmm_save_image_encode(xml, 0, &buf, &len, &error), 0);
        assert_int_equal(len, 8192);
        assert_int_equal(vmm_save_image_parse(buf, len, "/big.img", &hdr, &error), 0);
        assert_string_equal(hdr.xml, xml);
        vmm_save_image_header_done(&hdr);
        free(buf);
        /* empty and unknown flags are refused when writing */
        assert_int_equal(vmm_save_image_encode("", 0, &buf, &len, &error), -EFBIG);
        assert_int_equal(vmm_save_image_encode(XML, 0x80, &buf, &len, &error), -EINVAL);
        vmm_error_clear(&error);
        free(xml);
}

typedef struct Corruption {
        const char *what;
        size_t offset;
        int kind; /* 0: byte, 1: le32 */
        uint32_t value;
        const char *field; /* expected in the message */
} Corruption;

static void test_corruptions(void **state)
{
        const size_t xml_end = 32 + sizeof(XML); /* first padding byte */
        const Corruption cases[] = {
            {"magic", 0, 0, 'X', "magic"},
            {"magic last byte", 7, 0, '2', "magic"},
            {"version 0", 8, 1, 0, "version"},
            {"version 2", 8, 1, 2, "version"},
            {"unknown flag", 12, 1, 0x2, "flags"},
            {"all flags", 12, 1, 0xffffffffu, "flags"},
            {"xml_length 0", 16, 1, 0, "xml_length"},
            {"xml_length 1", 16, 1, 1, "xml_length"},
            {"xml_length huge", 16, 1, 0xffffffffu, "xml_length"},
            {"xml_length over limit", 16, 1, VMM_SAVE_IMAGE_MAX_XML + 1, "xml_length"},
            {"xml_length shorter", 16, 1, sizeof(XML) - 1, "xml"},
            {"xml_length longer", 16, 1, sizeof(XML) + 1, "xml"},
            {"xml_length past the page", 16, 1, 5000, "data_offset"},
            {"reserved", 20, 1, 1, "reserved"},
            {"data_offset", 24, 1, 8192, "data_offset"},
            {"data_offset 0", 24, 1, 0, "data_offset"},
            {"NUL inside the XML", 40, 0, 0, "xml"},
            {"no NUL at the end", 32 + sizeof(XML) - 1, 0, '>', "xml"},
            {"padding", xml_end, 0, 1, "padding"},
            {"last padding byte", 4095, 0, 0xff, "padding"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmSaveImageHeader hdr = {0};
                size_t len = 0;
                uint8_t *buf = encode(0, &len);
                int r;

                if (cases[i].kind == 0)
                        buf[cases[i].offset] = (uint8_t)cases[i].value;
                else
                        put32(buf + cases[i].offset, cases[i].value);
                r = vmm_save_image_parse(buf, len, "/bad.img", &hdr, &error);
                if (r != -EINVAL)
                        fail_msg("%s: parse returned %d (%s)", cases[i].what, r,
                                 vmm_error_message(&error));
                if (!strstr(vmm_error_message(&error), "\"/bad.img\"") ||
                    !strstr(vmm_error_message(&error), cases[i].field))
                        fail_msg("%s: message \"%s\" does not name the file and field %s",
                                 cases[i].what, vmm_error_message(&error), cases[i].field);
                assert_null(hdr.xml);
                vmm_error_clear(&error);
                free(buf);
        }
}

static void test_truncated(void **state)
{
        const size_t lengths[] = {0, 1, 7, 8, 9, 31, 32, 33, 32 + sizeof(XML), 4095};
        size_t len = 0;
        uint8_t *buf = encode(0, &len);

        for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmSaveImageHeader hdr = {0};

                if (vmm_save_image_parse(buf, lengths[i], "/t.img", &hdr, &error) != -EINVAL)
                        fail_msg("a header cut at %zu bytes was accepted", lengths[i]);
                assert_non_null(strstr(vmm_error_message(&error), "\"/t.img\""));
                vmm_error_clear(&error);
        }
        free(buf);
}

static char *tmpdir(void)
{
        char *d = strdup("/tmp/test-save-image.XXXXXX");

        assert_non_null(mkdtemp(d));
        return d;
}

static void write_file(const char *path, const void *data, size_t len)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, len), (ssize_t)len);
        close(fd);
}

static void test_files(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmSaveImageHeader hdr = {0};
        char *dir = tmpdir(), path[512], bad[512], *tmp = NULL;
        uint64_t offset = 0;
        struct stat st;
        char body[5];
        int fd = -1;

        snprintf(path, sizeof(path), "%s/a.img", dir);
        write_file(path, "old", 3);
        /* a temporary file next to the target, 0600, renamed over it */
        assert_int_equal(vmm_save_image_create_tmp(path, &tmp, &fd, &error), 0);
        assert_int_equal(strncmp(tmp, dir, strlen(dir)), 0);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        assert_int_equal(vmm_save_image_write_fd(fd, path, XML, 0, &offset, &error), 0);
        assert_int_equal(offset, 4096);
        assert_int_equal(write(fd, "QEVM", 4), 4);
        assert_int_equal(vmm_save_image_commit(fd, tmp, path, &error), 0);
        close(fd);
        assert_int_equal(access(tmp, F_OK), -1);
        free(tmp);

        assert_int_equal(vmm_save_image_open(path, &hdr, &fd, &error), 0);
        assert_int_equal(hdr.body_size, 4);
        assert_string_equal(hdr.xml, XML);
        memset(body, 0, sizeof(body));
        assert_int_equal(read(fd, body, 4), 4); /* positioned at the body */
        assert_string_equal(body, "QEVM");
        close(fd);
        vmm_save_image_header_done(&hdr);

        /* missing file, a directory, a file cut inside the header */
        snprintf(bad, sizeof(bad), "%s/missing.img", dir);
        assert_int_equal(vmm_save_image_open(bad, &hdr, NULL, &error), -ENOENT);
        assert_non_null(strstr(vmm_error_message(&error), "missing.img"));
        assert_int_equal(vmm_save_image_open(dir, &hdr, NULL, &error), -EINVAL);
        snprintf(bad, sizeof(bad), "%s/cut.img", dir);
        write_file(bad, "VMMSAVE1\1\0\0\0", 12);
        assert_int_equal(vmm_save_image_open(bad, &hdr, NULL, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "header"));
        unlink(bad);

        /* no directory: nothing created */
        snprintf(bad, sizeof(bad), "%s/no/such/dir/x.img", dir);
        assert_int_equal(vmm_save_image_create_tmp(bad, &tmp, &fd, &error), -ENOENT);
        assert_non_null(strstr(vmm_error_message(&error), "cannot create a file in"));
        snprintf(bad, sizeof(bad), "%s/", dir);
        assert_int_equal(vmm_save_image_create_tmp(bad, &tmp, &fd, &error), -EISDIR);

        unlink(path);
        assert_int_equal(rmdir(dir), 0); /* nothing else was left */
        vmm_error_clear(&error);
        free(dir);
}

static void test_check_dxml(void **state)
{
        const uint8_t uuid[16] = {0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
                                  0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55};
        VmmError error = VMM_ERROR_INIT;
        char *xml = NULL;

        assert_int_equal(vmm_save_image_check_dxml(XML, "img1", uuid, &xml, &error), 0);
        assert_non_null(strstr(xml, "<name>img1</name>"));
        free(xml);
        assert_int_equal(vmm_save_image_check_dxml(XML, "other", uuid, &xml, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "<name>"));
        assert_int_equal(
            vmm_save_image_check_dxml(XML, "img1", (const uint8_t[16]){0}, &xml, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "<uuid>"));
        assert_true(vmm_save_image_check_dxml("<domain", "img1", uuid, &xml, &error) < 0);
        vmm_error_clear(&error);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_roundtrip),   cmocka_unit_test(test_large_xml),
            cmocka_unit_test(test_corruptions), cmocka_unit_test(test_truncated),
            cmocka_unit_test(test_files),       cmocka_unit_test(test_check_dxml),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
