/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* uri.c: parsing and formatting connection URIs (see uri.h). */
#define _GNU_SOURCE 1
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cleanup.h"
#include "error.h"
#include "uri.h"

#define URI_EXAMPLE "(expected e.g. \"qemu:///system\" or \"qemu+tls://host.example/system\")"

/* "URI "x" is malformed: <what> (expected e.g. ...)"; returns -EINVAL. */
static int uri_error(VmmError *error, const char *s, const char *what)
{
        bool has_expected = strstr(what, "(expected") != NULL;

        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG, "URI \"%s\" is malformed: %s%s%s",
                             s, what, has_expected ? "" : " ", has_expected ? "" : URI_EXAMPLE);
}

VmmUri *vmm_uri_free(VmmUri *uri)
{
        if (!uri)
                return NULL;
        free(uri->driver);
        free(uri->transport);
        free(uri->user);
        free(uri->host);
        free(uri->path);
        for (size_t i = 0; i < uri->n_params; i++) {
                free(uri->params[i].name);
                free(uri->params[i].value);
        }
        free(uri->params);
        free(uri);
        return NULL;
}

static int uri_hex(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        c = (char)tolower((unsigned char)c);
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -1;
}

/* Percent-decodes `n` bytes of `s` into a heap string; "+" stays "+".
 * NULL with *ret_bad set on a malformed or NUL escape, NULL alone on OOM. */
static char *uri_decode(const char *s, size_t n, bool *ret_bad)
{
        char *out = malloc(n + 1), *o = out;

        *ret_bad = false;
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                int hi, lo;

                if (s[i] != '%') {
                        *o++ = s[i];
                        continue;
                }
                hi = i + 2 < n ? uri_hex(s[i + 1]) : -1;
                lo = hi >= 0 ? uri_hex(s[i + 2]) : -1;
                if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                        *ret_bad = true;
                        free(out);
                        return NULL;
                }
                *o++ = (char)(hi << 4 | lo);
                i += 2;
        }
        *o = '\0';
        return out;
}

/* Decodes a component or fails naming it. */
static int uri_decode_part(const char *uri, const char *s, size_t n, const char *part,
                           char **ret, VmmError *error)
{
        bool bad;
        char *d = uri_decode(s, n, &bad);

        if (!d && bad)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "URI \"%s\" is malformed: the %s has a bad %%-escape "
                                     "(expected %%XX with two hexadecimal digits, not %%00)",
                                     uri, part);
        if (!d)
                return vmm_error_oom(error);
        *ret = d;
        return 0;
}

static int uri_parse_scheme(const char *s, const char *end, VmmUri *uri, VmmError *error)
{
        const char *plus = memchr(s, '+', (size_t)(end - s));
        const char *dend = plus ? plus : end;

        if (dend == s)
                return uri_error(error, s, "the driver name before \"://\" is empty");
        if (plus && plus + 1 == end)
                return uri_error(error, s, "the transport after \"+\" is empty");
        for (const char *p = s; p < end; p++)
                if (p != plus && !isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
                    *p != '.')
                        return uri_error(error, s,
                                         "the scheme may hold only letters, digits, \"-\", "
                                         "\"_\", \".\" and one \"+\"");
        uri->driver = strndup(s, (size_t)(dend - s));
        if (plus)
                uri->transport = strndup(plus + 1, (size_t)(end - plus - 1));
        if (!uri->driver || (plus && !uri->transport))
                return vmm_error_oom(error);
        for (char *p = uri->driver; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        for (char *p = uri->transport; p && *p; p++)
                *p = (char)tolower((unsigned char)*p);
        return 0;
}

static int uri_parse_port(const char *full, const char *p, const char *end, VmmUri *uri,
                          VmmError *error)
{
        int port = 0;

        if (p == end)
                return uri_error(error, full, "the port after \":\" is empty");
        for (; p < end; p++) {
                if (!isdigit((unsigned char)*p))
                        return uri_error(error, full,
                                         "the port is not a number (expected 1 to 65535)");
                port = port * 10 + (*p - '0');
                if (port > 65535)
                        break;
        }
        if (port < 1 || port > 65535)
                return uri_error(error, full, "the port is out of range (expected 1 to 65535)");
        uri->port = port;
        return 0;
}

/* [user@][host][:port] between `s` and `end`. */
static int uri_parse_authority(const char *full, const char *s, const char *end, VmmUri *uri,
                               VmmError *error)
{
        const char *at = NULL, *host, *hend, *colon = NULL;
        int r;

        for (const char *p = s; p < end; p++)
                if (*p == '@')
                        at = p;
        if (at) {
                if (at == s)
                        return uri_error(error, full, "the user name before \"@\" is empty");
                r = uri_decode_part(full, s, (size_t)(at - s), "user name", &uri->user, error);
                if (r < 0)
                        return r;
        }
        host = at ? at + 1 : s;
        if (host < end && *host == '[') {
                const char *close = memchr(host, ']', (size_t)(end - host));

                if (!close || close == host + 1)
                        return uri_error(error, full,
                                         "an IPv6 address must be written \"[address]\"");
                if (close + 1 < end && close[1] != ':')
                        return uri_error(error, full, "unexpected text after the IPv6 address");
                uri->host = strndup(host + 1, (size_t)(close - host - 1));
                if (!uri->host)
                        return vmm_error_oom(error);
                colon = close + 1 < end ? close + 1 : NULL;
        } else {
                colon = memchr(host, ':', (size_t)(end - host));
                hend = colon ? colon : end;
                if (hend > host) {
                        r = uri_decode_part(full, host, (size_t)(hend - host), "host name",
                                            &uri->host, error);
                        if (r < 0)
                                return r;
                }
        }
        if (colon)
                return uri_parse_port(full, colon + 1, end, uri, error);
        return 0;
}

static int uri_add_param(const char *full, const char *s, const char *end, VmmUri *uri,
                         VmmError *error)
{
        const char *eq = memchr(s, '=', (size_t)(end - s));
        const char *nend = eq ? eq : end;
        VmmUriParam *params, *param;
        int r;

        if (nend == s)
                return uri_error(error, full, "a query parameter has an empty name "
                                 "(expected name=value)");
        params = realloc(uri->params, (uri->n_params + 1) * sizeof(*params));
        if (!params)
                return vmm_error_oom(error);
        uri->params = params;
        param = &params[uri->n_params];
        *param = (VmmUriParam){ NULL, NULL };
        r = uri_decode_part(full, s, (size_t)(nend - s), "query", &param->name, error);
        if (r < 0)
                return r;
        if (eq)
                r = uri_decode_part(full, eq + 1, (size_t)(end - eq - 1), "query",
                                    &param->value, error);
        else if (!(param->value = strdup("")))
                r = vmm_error_oom(error);
        uri->n_params++; /* counted even on failure, so vmm_uri_free() frees it */
        return r;
}

static int uri_parse_query(const char *full, const char *q, VmmUri *uri, VmmError *error)
{
        while (*q) {
                const char *end = q + strcspn(q, "&;");
                int r;

                if (end > q) {
                        r = uri_add_param(full, q, end, uri, error);
                        if (r < 0)
                                return r;
                }
                q = *end ? end + 1 : end;
        }
        return 0;
}

int vmm_uri_parse(const char *s, VmmUri **ret_uri, VmmError *error)
{
        _cleanup_(vmm_uri_freep) VmmUri *uri = NULL;
        const char *sep, *auth, *aend, *pend;
        int r;

        if (!s || !*s)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "URI is empty %s", URI_EXAMPLE);
        for (const char *p = s; *p; p++)
                if ((unsigned char)*p <= ' ' || *p == 0x7f)
                        return uri_error(error, s, "it contains a blank or a control character "
                                         "(write it %-escaped)");
        if (strchr(s, '#'))
                return uri_error(error, s, "a \"#fragment\" is not allowed");
        sep = strstr(s, "://");
        if (!sep || memchr(s, '/', (size_t)(sep - s)) || memchr(s, '?', (size_t)(sep - s)))
                return uri_error(error, s, "there is no \"driver://\" at its start");
        uri = calloc(1, sizeof(*uri));
        if (!uri)
                return vmm_error_oom(error);
        r = uri_parse_scheme(s, sep, uri, error);
        if (r < 0)
                return r;
        auth = sep + 3;
        aend = auth + strcspn(auth, "/?");
        r = uri_parse_authority(s, auth, aend, uri, error);
        if (r < 0)
                return r;
        pend = aend + strcspn(aend, "?");
        if (pend == aend)
                uri->path = strdup("/");
        else if ((r = uri_decode_part(s, aend, (size_t)(pend - aend), "path", &uri->path,
                                      error)) < 0)
                return r;
        if (!uri->path)
                return vmm_error_oom(error);
        if (*pend == '?') {
                r = uri_parse_query(s, pend + 1, uri, error);
                if (r < 0)
                        return r;
        }
        *ret_uri = TAKE_PTR(uri);
        return 0;
}

/* Appends `s` %-escaping what is not unreserved or in `keep`. */
static void uri_buf_escape(VmmBuf *buf, const char *s, const char *keep)
{
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;

                if (isalnum(c) || strchr("-._~", c) || (keep && strchr(keep, c)))
                        vmm_buf_addc(buf, (char)c);
                else
                        vmm_buf_addf(buf, "%%%02X", c);
        }
}

char *vmm_uri_format(const VmmUri *uri)
{
        VmmBuf buf = VMM_BUF_INIT;

        vmm_buf_add(&buf, uri->driver);
        if (uri->transport) {
                vmm_buf_addc(&buf, '+');
                vmm_buf_add(&buf, uri->transport);
        }
        vmm_buf_add(&buf, "://");
        if (uri->user) {
                uri_buf_escape(&buf, uri->user, "!$'()*,=");
                vmm_buf_addc(&buf, '@');
        }
        if (uri->host && strchr(uri->host, ':'))
                vmm_buf_addf(&buf, "[%s]", uri->host);
        else if (uri->host)
                uri_buf_escape(&buf, uri->host, "!$'()*,=");
        if (uri->port > 0)
                vmm_buf_addf(&buf, ":%d", uri->port);
        uri_buf_escape(&buf, uri->path, "/!$'()*,=:@+");
        for (size_t i = 0; i < uri->n_params; i++) {
                vmm_buf_addc(&buf, i == 0 ? '?' : '&');
                uri_buf_escape(&buf, uri->params[i].name, "/!$'()*,:@+");
                vmm_buf_addc(&buf, '=');
                uri_buf_escape(&buf, uri->params[i].value, "/!$'()*,:@+");
        }
        return vmm_buf_steal(&buf);
}

const char *vmm_uri_get_param(const VmmUri *uri, const char *name)
{
        /* The last occurrence wins, as a later "&name=" overrides. */
        for (size_t i = uri->n_params; i > 0; i--)
                if (strcmp(uri->params[i - 1].name, name) == 0)
                        return uri->params[i - 1].value;
        return NULL;
}
