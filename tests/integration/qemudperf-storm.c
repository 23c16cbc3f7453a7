/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemudperf-storm: a define storm against vmm-qemud, and the check after
 * a crash (tests/integration/qemudperf-crash.sh).
 *
 *   qemudperf-storm storm THREADS > LOG
 *     each thread, on its own connection, defines its own domains
 *     (s<T>-<N>), redefines one of them every 4th step (new memory size) and
 *     undefines one every 7th step, until a call fails (the daemon was
 *     killed). Before each call it prints "try T OP NAME MIB", after a call
 *     that returned OK "ok T OP NAME MIB" (OP: define, undefine).
 *   qemudperf-storm check LOG [CONFIG_DIR]
 *     replays LOG: for each name, the state its last OK operation left;
 *     a name whose last call was still in flight may be in either state.
 *     Then asks the daemon: each name must be defined (with that memory)
 *     or not, and list-all must hold nothing else. With CONFIG_DIR, each
 *     defined name's file there must hold exactly the daemon's definition
 *     and an undefined name must have no file. Exit 0 when all hold.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vmm/vmm.h>

#define URI "qemu:///session"
#define MAX_NAMES 200000

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void say(const char *what, int t, const char *op, const char *name, unsigned mib)
{
        pthread_mutex_lock(&out_lock);
        printf("%s %d %s %s %u\n", what, t, op, name, mib);
        fflush(stdout);
        pthread_mutex_unlock(&out_lock);
}

static int define(VmmConnect *c, int t, int n, unsigned mib)
{
        VmmError e = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        char name[32], xml[512];
        int r;

        snprintf(name, sizeof(name), "s%d-%d", t, n);
        snprintf(xml, sizeof(xml),
                 "<domain type='qemu'><name>%s</name>"
                 "<uuid>5707e000-%04x-4000-8000-%012x</uuid>"
                 "<memory unit='MiB'>%u</memory><vcpu>1</vcpu>"
                 "<os><type>hvm</type></os></domain>",
                 name, (unsigned)t, (unsigned)n, mib);
        say("try", t, "define", name, mib);
        r = vmm_domain_define_xml(c, xml, 0, &dom, &e);
        if (r >= 0)
                say("ok", t, "define", name, mib);
        vmm_domain_unref(dom);
        vmm_error_clear(&e);
        return r;
}

static int undefine(VmmConnect *c, int t, int n)
{
        VmmError e = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        char name[32];
        int r;

        snprintf(name, sizeof(name), "s%d-%d", t, n);
        say("try", t, "undefine", name, 0);
        r = vmm_domain_lookup_by_name(c, name, &dom, &e);
        if (r >= 0)
                r = vmm_domain_undefine(dom, 0, &e);
        if (r >= 0)
                say("ok", t, "undefine", name, 0);
        vmm_domain_unref(dom);
        vmm_error_clear(&e);
        return r;
}

static void *storm_main(void *arg)
{
        int t = (int)(intptr_t)arg;
        VmmError e = VMM_ERROR_INIT;
        VmmConnect *c = NULL;
        int n = 0, undefined = 0;

        if (vmm_connect_open(URI, 0, &c, &e) < 0) {
                fprintf(stderr, "storm %d: connect: %s\n", t, vmm_error_message(&e));
                vmm_error_clear(&e);
                return NULL;
        }
        for (;;) {
                if (define(c, t, n, 64 + (unsigned)(n % 8)) < 0)
                        break;
                n++;
                if (n % 4 == 0 && define(c, t, n / 2, 512 + (unsigned)n) < 0)
                        break;
                if (n % 7 == 0 && undefined < n / 2 && undefine(c, t, undefined++ * 2 + 1) < 0)
                        break;
        }
        vmm_connect_close(c);
        return NULL;
}

static int storm(int threads)
{
        pthread_t th[64];

        if (threads < 1 || threads > 64)
                return 2;
        for (int i = 0; i < threads; i++)
                pthread_create(&th[i], NULL, storm_main, (void *)(intptr_t)i);
        for (int i = 0; i < threads; i++)
                pthread_join(th[i], NULL);
        return 0;
}

typedef struct Expect {
        char name[32];
        unsigned mib;   /* 0: undefined */
        bool in_flight; /* last call did not return: either state */
        unsigned try_mib;
} Expect;

static Expect *expects;
static size_t n_expects;

static Expect *expect_for(const char *name)
{
        for (size_t i = n_expects; i-- > 0;)
                if (strcmp(expects[i].name, name) == 0)
                        return &expects[i];
        if (n_expects == MAX_NAMES)
                return NULL;
        snprintf(expects[n_expects].name, sizeof(expects[0].name), "%s", name);
        return &expects[n_expects++];
}

static int read_log(const char *path, size_t *ret_ok)
{
        char what[8], op[16], name[32];
        unsigned mib;
        int t;
        FILE *f = fopen(path, "re");

        if (!f)
                return -1;
        *ret_ok = 0;
        while (fscanf(f, "%7s %d %15s %31s %u", what, &t, op, name, &mib) == 5) {
                Expect *x = expect_for(name);

                if (!x)
                        break;
                if (strcmp(what, "try") == 0) {
                        x->in_flight = true;
                        x->try_mib = strcmp(op, "define") == 0 ? mib : 0;
                } else {
                        x->in_flight = false;
                        x->mib = strcmp(op, "define") == 0 ? mib : 0;
                        (*ret_ok)++;
                }
        }
        fclose(f);
        return 0;
}

static const char *conf_dir; /* check: the daemon's config directory */

/* The file of `name` holds the daemon's definition (`dom`), or there is
 * no file when the daemon has no such domain. */
static void check_file(VmmDomain *dom, const char *name, int *failures)
{
        VmmError e = VMM_ERROR_INIT;
        char path[4096], *want = NULL, *have = NULL;
        size_t len = 0;
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s.xml", conf_dir, name);
        f = fopen(path, "re");
        if (f) {
                have = malloc(1 << 20);
                len = have ? fread(have, 1, (1 << 20) - 1, f) : 0;
                if (have)
                        have[len] = '\0';
                fclose(f);
        }
        if (!dom) {
                if (f) {
                        fprintf(stderr, "check: domain %s is not defined, but %s exists\n", name,
                                path);
                        (*failures)++;
                }
        } else if (vmm_domain_get_xml(dom, VMM_DOMAIN_XML_INACTIVE, &want, &e) < 0) {
                fprintf(stderr, "check: XML of %s: %s\n", name, vmm_error_message(&e));
                (*failures)++;
        } else if (!have || strcmp(have, want) != 0) {
                fprintf(stderr, "check: domain %s: %s %s\n", name, path,
                        have ? "differs from the daemon's definition" : "is missing");
                (*failures)++;
        }
        free(want);
        free(have);
        vmm_error_clear(&e);
}

/* Compares one name with the daemon; returns 1 when defined there. */
static int check_one(VmmConnect *c, const Expect *x, int *failures)
{
        VmmError e = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        VmmDomainInfo info = {0};
        unsigned have = 0;

        if (vmm_domain_lookup_by_name(c, x->name, &dom, &e) >= 0) {
                if (vmm_domain_get_info(dom, &info, &e) < 0) {
                        fprintf(stderr, "check: info %s: %s\n", x->name, vmm_error_message(&e));
                        (*failures)++;
                }
                have = (unsigned)(info.max_memory_kib / 1024);
        }
        if (conf_dir)
                check_file(dom, x->name, failures);
        vmm_domain_unref(dom);
        vmm_error_clear(&e);
        if (have != x->mib && !(x->in_flight && have == x->try_mib)) {
                fprintf(stderr, "check: domain %s: %s%u MiB after the crash, expected %s%u MiB%s\n",
                        x->name, have ? "" : "undefined, ", have, x->mib ? "" : "undefined, ",
                        x->mib, x->in_flight ? " (or the in-flight call's result)" : "");
                (*failures)++;
        }
        return have != 0;
}

static int check(const char *log)
{
        VmmError e = VMM_ERROR_INIT;
        VmmDomain **doms = NULL;
        VmmConnect *c = NULL;
        size_t n = 0, ok = 0, defined = 0;
        int failures = 0;

        expects = calloc(MAX_NAMES, sizeof(*expects));
        if (!expects || read_log(log, &ok) < 0) {
                fprintf(stderr, "check: cannot read %s\n", log);
                return 1;
        }
        if (vmm_connect_open(URI, 0, &c, &e) < 0 || vmm_domain_list_all(c, 0, &doms, &n, &e) < 0) {
                fprintf(stderr, "check: %s\n", vmm_error_message(&e));
                return 1;
        }
        for (size_t i = 0; i < n_expects; i++)
                defined += (size_t)check_one(c, &expects[i], &failures);
        if (n != defined) {
                fprintf(stderr, "check: list-all shows %zu domains, the storm's names %zu\n", n,
                        defined);
                failures++;
        }
        printf("check: %zu operations returned OK over %zu names; %zu defined after the crash; "
               "%d mismatch(es)\n",
               ok, n_expects, defined, failures);
        for (size_t i = 0; i < n; i++)
                vmm_domain_unref(doms[i]);
        free(doms);
        vmm_connect_close(c);
        free(expects);
        return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
        if (argc == 3 && strcmp(argv[1], "storm") == 0)
                return storm(atoi(argv[2]));
        if ((argc == 3 || argc == 4) && strcmp(argv[1], "check") == 0) {
                conf_dir = argc == 4 ? argv[3] : NULL;
                return check(argv[2]);
        }
        fprintf(stderr, "usage: qemudperf-storm storm THREADS | check LOG [CONFIG_DIR]\n");
        return 2;
}
