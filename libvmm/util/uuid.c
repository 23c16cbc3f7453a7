/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "error.h"
#include "uuid.h"

static int uuid_hex_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int vmm_uuid_parse(const char *s, uint8_t ret_uuid[VMM_UUID_LEN], VmmError *error)
{
        uint8_t uuid[VMM_UUID_LEN];
        const char *p;
        size_t i = 0;

        if (!s)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "UUID: no value given (expected e.g. "
                                     "\"c7a5fdbd-cdaf-9455-926a-d65c16db1809\")");
        p = s;
        while (isspace((unsigned char)*p))
                p++;
        while (i < VMM_UUID_LEN) {
                int hi, lo;

                /* A dash may separate any two bytes, as libvirt accepts. */
                if (*p == '-' && i > 0)
                        p++;
                hi = uuid_hex_value(p[0]);
                lo = hi < 0 ? -1 : uuid_hex_value(p[1]);
                if (hi < 0 || lo < 0)
                        goto bad;
                uuid[i++] = (uint8_t)(hi << 4 | lo);
                p += 2;
        }
        while (isspace((unsigned char)*p))
                p++;
        if (*p)
                goto bad;
        memcpy(ret_uuid, uuid, VMM_UUID_LEN);
        return 0;
bad:
        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                             "UUID \"%s\" is malformed (expected 32 hexadecimal digits as "
                             "\"c7a5fdbd-cdaf-9455-926a-d65c16db1809\")",
                             s);
}

char *vmm_uuid_format(const uint8_t uuid[VMM_UUID_LEN], char buf[VMM_UUID_STRLEN])
{
        static const char hex[] = "0123456789abcdef";
        size_t o = 0;

        for (size_t i = 0; i < VMM_UUID_LEN; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10)
                        buf[o++] = '-';
                buf[o++] = hex[uuid[i] >> 4];
                buf[o++] = hex[uuid[i] & 0xf];
        }
        buf[o] = '\0';
        return buf;
}

int vmm_uuid_generate(uint8_t ret_uuid[VMM_UUID_LEN])
{
        uint8_t uuid[VMM_UUID_LEN];
        size_t got = 0;

        while (got < sizeof(uuid)) {
                ssize_t n = getrandom(uuid + got, sizeof(uuid) - got, 0);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                got += (size_t)n;
        }
        uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40); /* version 4 */
        uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80); /* RFC 4122 variant */
        memcpy(ret_uuid, uuid, VMM_UUID_LEN);
        return 0;
}

bool vmm_uuid_is_null(const uint8_t uuid[VMM_UUID_LEN])
{
        for (size_t i = 0; i < VMM_UUID_LEN; i++)
                if (uuid[i])
                        return false;
        return true;
}
