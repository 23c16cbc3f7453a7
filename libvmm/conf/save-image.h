/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * save-image.h: the header of a domain save image (`vmmctl save`,
 * `managedsave`), shared by the qemu driver (which writes QEMU's migration
 * stream after it) and the test driver (whose images have an empty body).
 *
 * Layout (all integers little-endian):
 *
 *   offset  size  field
 *   0       8     magic        "VMMSAVE1"
 *   8       4     version      1
 *   12      4     flags        VMM_SAVE_IMAGE_WAS_RUNNING: the guest ran when
 *                              saved (restore resumes it unless told
 *                              otherwise); other bits must be 0
 *   16      4     xml_length   bytes of the domain XML including its NUL,
 *                              2 .. VMM_SAVE_IMAGE_MAX_XML
 *   20      4     reserved     0
 *   24      8     data_offset  where the body starts: 32 + xml_length
 *                              rounded up to VMM_SAVE_IMAGE_ALIGN (4 KiB)
 *   32      ...   the domain's live XML, NUL-terminated, then zero bytes
 *                 up to data_offset
 *   data_offset   the body: QEMU's migration stream (starts with "QEVM"),
 *                 empty for the test driver
 *
 * Every field is checked when reading: a corrupt, truncated or hostile
 * file gives an error naming the file and the field, never a crash or an
 * allocation sized by the file beyond the limits above.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#define VMM_SAVE_IMAGE_MAGIC "VMMSAVE1"
#define VMM_SAVE_IMAGE_VERSION 1u
#define VMM_SAVE_IMAGE_FIXED 32u
#define VMM_SAVE_IMAGE_ALIGN 4096u
#define VMM_SAVE_IMAGE_MAX_XML (4u * 1024 * 1024)

enum {
        VMM_SAVE_IMAGE_WAS_RUNNING = 1u << 0,
};

typedef struct VmmSaveImageHeader {
        uint32_t version;
        uint32_t flags;
        char *xml; /* heap, NUL-terminated */
        uint64_t data_offset;
        uint64_t body_size; /* bytes after data_offset (read_fd only) */
} VmmSaveImageHeader;

/* The header for `xml` and `flags` (heap, *ret_len == data offset). */
int vmm_save_image_encode(const char *xml, uint32_t flags, uint8_t **ret_buf, size_t *ret_len,
                          VmmError *error);

/* Parses the first `len` bytes of an image; `path` names it in messages.
 * Fails with -EINVAL (kind VMM_ERR_OPERATION_INVALID) naming the field. */
int vmm_save_image_parse(const uint8_t *buf, size_t len, const char *path, VmmSaveImageHeader *ret,
                         VmmError *error);

/* Reads and parses the header of the open image `fd` (pread: the offset
 * is not moved); fills body_size. */
int vmm_save_image_read_fd(int fd, const char *path, VmmSaveImageHeader *ret, VmmError *error);

/* Opens `path` read-only and reads its header; with ret_fd, the open fd
 * (O_CLOEXEC) positioned at the body. */
int vmm_save_image_open(const char *path, VmmSaveImageHeader *ret, int *ret_fd, VmmError *error);

/* Writes the header at offset 0 of `fd` and leaves the offset at the
 * body; *ret_data_offset where the body starts. */
int vmm_save_image_write_fd(int fd, const char *path, const char *xml, uint32_t flags,
                            uint64_t *ret_data_offset, VmmError *error);

void vmm_save_image_header_done(VmmSaveImageHeader *hdr);

/*
 * Writing an image: a temporary file next to `path` (".NAME.XXXXXX",
 * mode 0600, O_EXCL), filled by the caller, then fsync'ed and renamed
 * over `path` (an existing file is replaced atomically; the directory is
 * fsync'ed too). On failure the caller unlinks the temporary file and
 * `path` is untouched. *ret_tmp is heap.
 */
int vmm_save_image_create_tmp(const char *path, char **ret_tmp, int *ret_fd, VmmError *error);
int vmm_save_image_commit(int fd, const char *tmp, const char *path, VmmError *error);

/* Checks a replacement definition (`dxml`) for the domain `name` /
 * `uuid`: it must parse, and keep the name and the UUID. *ret_xml is it
 * formatted again (heap). */
int vmm_save_image_check_dxml(const char *dxml, const char *name, const uint8_t uuid[16],
                              char **ret_xml, VmmError *error);

/* The domain XML of the image at `path`, as save-image-dumpxml shows it:
 * without security-sensitive data (passwords) unless `secure`. */
int vmm_save_image_read_xml(const char *path, bool secure, char **ret_xml, VmmError *error);
