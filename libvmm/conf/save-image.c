/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* save-image.c: the header of a domain save image (layout in save-image.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/domain-device.h"
#include "conf/domain.h"
#include "conf/save-image.h"
#include "util/cleanup.h"
#include "util/error.h"

static void put_le32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
        for (int i = 0; i < 8; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
        uint32_t v = 0;

        for (int i = 3; i >= 0; i--)
                v = (v << 8) | p[i];
        return v;
}

static uint64_t get_le64(const uint8_t *p)
{
        uint64_t v = 0;

        for (int i = 7; i >= 0; i--)
                v = (v << 8) | p[i];
        return v;
}

static uint64_t data_offset_for(uint64_t xml_len)
{
        uint64_t end = VMM_SAVE_IMAGE_FIXED + xml_len;

        return (end + VMM_SAVE_IMAGE_ALIGN - 1) / VMM_SAVE_IMAGE_ALIGN * VMM_SAVE_IMAGE_ALIGN;
}

static int bad(VmmError *error, const char *path, const char *field, const char *fmt, ...)
    _printf_(4, 5);
static int bad(VmmError *error, const char *path, const char *field, const char *fmt, ...)
{
        char what[256];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID, "save image \"%s\": %s: %s",
                             path, field, what);
}

int vmm_save_image_encode(const char *xml, uint32_t flags, uint8_t **ret_buf, size_t *ret_len,
                          VmmError *error)
{
        size_t xml_len, total;
        uint8_t *buf;

        vmm_check_arg(xml && ret_buf && ret_len, error, "xml, ret_buf or ret_len is NULL");
        xml_len = strlen(xml) + 1;
        if (xml_len < 2 || xml_len > VMM_SAVE_IMAGE_MAX_XML)
                return vmm_error_set(error, -EFBIG, VMM_ERR_INVALID_ARG,
                                     "save image: the domain XML has %zu bytes (expected 1 to "
                                     "%u)",
                                     xml_len - 1, VMM_SAVE_IMAGE_MAX_XML - 1);
        if (flags & ~(uint32_t)VMM_SAVE_IMAGE_WAS_RUNNING)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "save image: unknown header flags 0x%x", flags);
        total = (size_t)data_offset_for(xml_len);
        buf = calloc(1, total);
        if (!buf)
                return vmm_error_oom(error);
        memcpy(buf, VMM_SAVE_IMAGE_MAGIC, 8);
        put_le32(buf + 8, VMM_SAVE_IMAGE_VERSION);
        put_le32(buf + 12, flags);
        put_le32(buf + 16, (uint32_t)xml_len);
        put_le32(buf + 20, 0);
        put_le64(buf + 24, total);
        memcpy(buf + VMM_SAVE_IMAGE_FIXED, xml, xml_len);
        *ret_buf = buf;
        *ret_len = total;
        return 0;
}

/* The fixed part: every field but the XML itself. */
static int parse_fixed(const uint8_t *buf, size_t len, const char *path, uint32_t *ret_flags,
                       uint32_t *ret_xml_len, uint64_t *ret_offset, VmmError *error)
{
        uint32_t version, flags, xml_len;
        uint64_t offset;

        if (len < 8 || memcmp(buf, VMM_SAVE_IMAGE_MAGIC, 8) != 0)
                return bad(error, path, "magic",
                           "not a vmm save image (expected it to start with \"VMMSAVE1\")");
        if (len < VMM_SAVE_IMAGE_FIXED)
                return bad(error, path, "header", "truncated: %zu bytes (expected at least 32)",
                           len);
        version = get_le32(buf + 8);
        flags = get_le32(buf + 12);
        xml_len = get_le32(buf + 16);
        offset = get_le64(buf + 24);
        if (version != VMM_SAVE_IMAGE_VERSION)
                return bad(error, path, "version", "%u is not supported (expected 1)", version);
        if (flags & ~(uint32_t)VMM_SAVE_IMAGE_WAS_RUNNING)
                return bad(error, path, "flags", "unknown bits 0x%x (expected 0 or 0x1)", flags);
        if (xml_len < 2 || xml_len > VMM_SAVE_IMAGE_MAX_XML)
                return bad(error, path, "xml_length", "%u bytes (expected 2 to %u)", xml_len,
                           VMM_SAVE_IMAGE_MAX_XML);
        if (get_le32(buf + 20) != 0)
                return bad(error, path, "reserved", "0x%x (expected 0)", get_le32(buf + 20));
        if (offset != data_offset_for(xml_len))
                return bad(
                    error, path, "data_offset", "%llu does not match xml_length (expected %llu)",
                    (unsigned long long)offset, (unsigned long long)data_offset_for(xml_len));
        *ret_flags = flags;
        *ret_xml_len = xml_len;
        *ret_offset = offset;
        return 0;
}

int vmm_save_image_parse(const uint8_t *buf, size_t len, const char *path, VmmSaveImageHeader *ret,
                         VmmError *error)
{
        const char *xml = (const char *)buf + VMM_SAVE_IMAGE_FIXED;
        uint32_t flags, xml_len;
        uint64_t offset;
        char *copy;
        int r;

        vmm_check_arg(buf || len == 0, error, "buf is NULL");
        vmm_check_arg(ret, error, "ret is NULL");
        if (!path)
                path = "(memory)";
        r = parse_fixed(buf, len, path, &flags, &xml_len, &offset, error);
        if (r < 0)
                return r;
        if (len < offset)
                return bad(error, path, "header",
                           "truncated: %zu bytes (expected data_offset %llu)", len,
                           (unsigned long long)offset);
        if (xml[xml_len - 1] != '\0' || memchr(xml, '\0', xml_len - 1))
                return bad(error, path, "xml", "not a NUL-terminated string of xml_length %u bytes",
                           xml_len);
        for (uint64_t i = VMM_SAVE_IMAGE_FIXED + xml_len; i < offset; i++)
                if (buf[i] != 0)
                        return bad(error, path, "padding",
                                   "non-zero byte at offset %llu (expected zeros up to "
                                   "data_offset)",
                                   (unsigned long long)i);
        copy = strdup(xml);
        if (!copy)
                return vmm_error_oom(error);
        *ret = (VmmSaveImageHeader){
            .version = VMM_SAVE_IMAGE_VERSION,
            .flags = flags,
            .xml = copy,
            .data_offset = offset,
            .body_size = len - offset,
        };
        return 0;
}

static int pread_all(int fd, uint8_t *buf, size_t len, const char *path, VmmError *error)
{
        size_t done = 0;

        while (done < len) {
                ssize_t n = pread(fd, buf + done, len - done, (off_t)done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return vmm_error_set_errno(error, -errno, "save image \"%s\": read", path);
                if (n == 0)
                        return bad(error, path, "header", "the file ended at byte %zu", done);
                done += (size_t)n;
        }
        return 0;
}

int vmm_save_image_read_fd(int fd, const char *path, VmmSaveImageHeader *ret, VmmError *error)
{
        _cleanup_free_ uint8_t *buf = NULL;
        uint8_t fixed[VMM_SAVE_IMAGE_FIXED];
        uint32_t flags, xml_len;
        uint64_t offset;
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return vmm_error_set_errno(error, -errno, "save image \"%s\"", path);
        if (!S_ISREG(st.st_mode))
                return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                     "save image \"%s\": not a regular file", path);
        r = pread_all(fd, fixed, st.st_size < 32 ? (size_t)st.st_size : 32, path, error);
        if (r < 0)
                return r;
        r = parse_fixed(fixed, st.st_size < 32 ? (size_t)st.st_size : 32, path, &flags, &xml_len,
                        &offset, error);
        if (r < 0)
                return r;
        if ((uint64_t)st.st_size < offset)
                return bad(error, path, "header",
                           "truncated: the file has %llu bytes (expected at least data_offset "
                           "%llu)",
                           (unsigned long long)st.st_size, (unsigned long long)offset);
        buf = malloc(offset); /* bounded: at most 4 MiB + 4 KiB */
        if (!buf)
                return vmm_error_oom(error);
        r = pread_all(fd, buf, offset, path, error);
        if (r >= 0)
                r = vmm_save_image_parse(buf, offset, path, ret, error);
        if (r < 0)
                return r;
        ret->body_size = (uint64_t)st.st_size - offset;
        return 0;
}

int vmm_save_image_open(const char *path, VmmSaveImageHeader *ret, int *ret_fd, VmmError *error)
{
        _cleanup_close_ int fd = -1;
        VmmSaveImageHeader hdr;
        int r;

        vmm_check_arg(path && ret, error, "path or ret is NULL");
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return vmm_error_set(
                    error, -errno, errno == ENOENT ? VMM_ERR_INVALID_ARG : VMM_ERR_SYSTEM,
                    "save image \"%s\": cannot open it: %s", path, strerror(errno));
        r = vmm_save_image_read_fd(fd, path, &hdr, error);
        if (r < 0)
                return r;
        if (ret_fd && lseek(fd, (off_t)hdr.data_offset, SEEK_SET) < 0) {
                r = vmm_error_set_errno(error, -errno, "save image \"%s\": seek", path);
                vmm_save_image_header_done(&hdr);
                return r;
        }
        *ret = hdr;
        if (ret_fd)
                *ret_fd = TAKE_FD(fd);
        return 0;
}

int vmm_save_image_write_fd(int fd, const char *path, const char *xml, uint32_t flags,
                            uint64_t *ret_data_offset, VmmError *error)
{
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len = 0, done = 0;
        int r;

        r = vmm_save_image_encode(xml, flags, &buf, &len, error);
        if (r < 0)
                return r;
        while (done < len) {
                ssize_t n = pwrite(fd, buf + done, len - done, (off_t)done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return vmm_error_set_errno(error, n < 0 ? -errno : -EIO,
                                                   "save image \"%s\": write", path);
                done += (size_t)n;
        }
        if (lseek(fd, (off_t)len, SEEK_SET) < 0)
                return vmm_error_set_errno(error, -errno, "save image \"%s\": seek", path);
        if (ret_data_offset)
                *ret_data_offset = len;
        return 0;
}

void vmm_save_image_header_done(VmmSaveImageHeader *hdr)
{
        if (!hdr)
                return;
        free(hdr->xml);
        hdr->xml = NULL;
}

int vmm_save_image_create_tmp(const char *path, char **ret_tmp, int *ret_fd, VmmError *error)
{
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        const char *base;
        char *slash;
        int fd;

        vmm_check_arg(path && path[0] == '/', error, "path is not absolute");
        dir = strdup(path);
        if (!dir)
                return vmm_error_oom(error);
        slash = strrchr(dir, '/');
        base = path + (slash - dir) + 1;
        if (!*base)
                return vmm_error_set(error, -EISDIR, VMM_ERR_INVALID_ARG,
                                     "save image \"%s\": names a directory (expected a file "
                                     "name)",
                                     path);
        *slash = '\0';
        if (asprintf(&tmp, "%s/.%s.XXXXXX", *dir ? dir : "", base) < 0) {
                tmp = NULL;
                return vmm_error_oom(error);
        }
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return vmm_error_set(error, -errno,
                                     errno == ENOENT || errno == ENOTDIR ? VMM_ERR_INVALID_ARG
                                                                         : VMM_ERR_SYSTEM,
                                     "save image \"%s\": cannot create a file in \"%s\": %s", path,
                                     *dir ? dir : "/", strerror(errno));
        if (fchmod(fd, 0600) < 0) {
                int e = errno;

                close(fd);
                unlink(tmp);
                return vmm_error_set(error, -e, VMM_ERR_SYSTEM, "save image \"%s\": chmod: %s",
                                     path, strerror(e));
        }
        *ret_tmp = TAKE_PTR(tmp);
        *ret_fd = fd;
        return 0;
}

int vmm_save_image_commit(int fd, const char *tmp, const char *path, VmmError *error)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dfd = -1;
        char *slash;

        if (fsync(fd) < 0)
                return vmm_error_set_errno(error, -errno, "save image \"%s\": fsync", path);
        if (rename(tmp, path) < 0)
                return vmm_error_set_errno(error, -errno, "save image \"%s\": rename", path);
        dir = strdup(path);
        if (!dir)
                return vmm_error_oom(error);
        slash = strrchr(dir, '/');
        if (slash)
                slash[slash == dir ? 1 : 0] = '\0';
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0)
                (void)fsync(dfd);
        return 0;
}

int vmm_save_image_check_dxml(const char *dxml, const char *name, const uint8_t uuid[16],
                              char **ret_xml, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        uint8_t other[VMM_UUID_LEN];
        const char *other_name;
        int r;

        r = vmm_domain_def_parse(dxml, (size_t)-1, 0, &def, error);
        if (r >= 0)
                r = vmm_domain_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_domain_def_validate(def, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "replacement XML of domain '%s': ", name);
        other_name = vmm_domain_def_get_name(def);
        vmm_domain_def_get_uuid(def, other);
        if (!other_name || strcmp(other_name, name) != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "replacement XML of domain '%s': <name> is '%s' (expected "
                                     "the same name)",
                                     name, other_name ? other_name : "");
        if (memcmp(other, uuid, VMM_UUID_LEN) != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "replacement XML of domain '%s': <uuid> differs (expected "
                                     "the UUID of the saved domain)",
                                     name);
        return vmm_domain_def_format(
            def, VMM_DOMAIN_DEVICES_FORMAT_SECURE | VMM_DOMAIN_DEF_INACTIVE, ret_xml, error);
}

int vmm_save_image_read_xml(const char *path, bool secure, char **ret_xml, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_(vmm_save_image_header_done) VmmSaveImageHeader hdr = {0};
        int r;

        r = vmm_save_image_open(path, &hdr, NULL, error);
        if (r < 0)
                return r;
        r = vmm_domain_def_parse(hdr.xml, (size_t)-1, VMM_DOMAIN_DEF_KEEP_UNKNOWN, &def, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "save image \"%s\": domain XML: ", path);
        return vmm_domain_def_format(
            def, (secure ? VMM_DOMAIN_DEVICES_FORMAT_SECURE : 0) | VMM_DOMAIN_DEF_INACTIVE, ret_xml,
            error);
}
