/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-qemu-tap: what a guest NIC's tap costs vmm-qemud at start
 * (drivers/qemu/qemu-tap.c), side by side with the bare kernel call.
 * Run by hand as root; it works in a private network namespace it makes
 * (no host link is touched):
 *   build-rel/tests/bench/bench-qemu-tap [--rounds N]
 * Rows (median and 90th percentile of N rounds, µs), each split into the
 * create part (what a start waits for) and the close that deletes the tap
 * (what QEMU's exit costs the kernel):
 *   raw       open /dev/net/tun + TUNSETIFF "vmm%d" (kernel only)
 *   ethernet  vmm_qemu_tap_open (checks, create, MAC, MTU, up)
 *   bridge    the same plus the bridge lookup and the enslaving
 *   mq4       ethernet with <driver queues='4'> (four fds)
 */
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "conf/domain-device.h"
#include "conf/domain.h"
#include "qemu-tap.h"
#include "util/error.h"

static double now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return x < y ? -1 : x > y;
}

static void report(const char *name, double *t, double *c, int n)
{
        qsort(t, (size_t)n, sizeof(*t), cmp_double);
        qsort(c, (size_t)n, sizeof(*c), cmp_double);
        printf("%-9s create median %7.1f µs p90 %7.1f µs | close (tap deleted) median %7.1f "
               "µs p90 %7.1f µs  (%d rounds)\n",
               name, t[n / 2], t[n * 9 / 10], c[n / 2], c[n * 9 / 10], n);
}

/* Fills ret_close with the time the last close took (the kernel deletes
 * the tap then). */
static double raw_round(double *ret_close)
{
        struct ifreq ifr = {0};
        double t0 = now_us(), t;
        int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

        ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "vmm%%d");
        if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
                perror("TUNSETIFF");
                exit(1);
        }
        t = now_us() - t0;
        t0 = now_us();
        close(fd);
        *ret_close = now_us() - t0;
        return t;
}

static double vmm_round(const char *iface, double *ret_close)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def = NULL;
        VmmQemuTapHost h = VMM_QEMU_TAP_HOST_INIT;
        char *xml = NULL;
        size_t n = 0;
        void *const *nets;
        double t0, t;

        if (asprintf(&xml,
                     "<domain type='qemu'><name>b</name><memory unit='MiB'>64</memory>"
                     "<vcpu>1</vcpu><os><type>hvm</type></os><devices>%s</devices></domain>",
                     iface) < 0 ||
            vmm_domain_def_parse(xml, (size_t)-1, 0, &def, &error) < 0 ||
            vmm_domain_def_fill_defaults(def, &error) < 0) {
                fprintf(stderr, "%s\n", error.message ? error.message : "out of memory");
                exit(1);
        }
        nets = vmm_domain_devices_get(vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_INTERFACE,
                                      &n);
        t0 = now_us();
        if (vmm_qemu_tap_open(nets[0], "bench", &h, &error) < 0) {
                fprintf(stderr, "%s\n", error.message);
                exit(1);
        }
        t = now_us() - t0;
        t0 = now_us();
        vmm_qemu_tap_host_done(&h);
        *ret_close = now_us() - t0;
        vmm_domain_def_free(def);
        free(xml);
        return t;
}

/* The bridge the "bridge" row enslaves to. */
static int bridge_add(const char *name)
{
        struct nl_sock *sk = nl_socket_alloc();
        struct rtnl_link *l = rtnl_link_bridge_alloc();
        int r = -1;

        if (sk && l && nl_connect(sk, NETLINK_ROUTE) == 0) {
                rtnl_link_set_name(l, name);
                rtnl_link_set_flags(l, IFF_UP);
                r = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
        }
        if (l)
                rtnl_link_put(l);
        if (sk)
                nl_socket_free(sk);
        return r;
}

int main(int argc, char **argv)
{
        int rounds = 200;
        double *t, *c;
        static const struct {
                const char *name, *iface;
        } rows[] = {
            {"ethernet", "<interface type='ethernet'><model type='virtio'/><mtu size='1400'/>"
                         "</interface>"},
            {"bridge", "<interface type='bridge'><source bridge='br-bench'/>"
                       "<model type='virtio'/></interface>"},
            {"mq4", "<interface type='ethernet'><model type='virtio'/><driver queues='4'/>"
                    "</interface>"},
        };

        if (argc == 3 && strcmp(argv[1], "--rounds") == 0)
                rounds = atoi(argv[2]);
        if (rounds < 10)
                rounds = 10;
        if (unshare(CLONE_NEWNET) < 0) {
                perror("unshare(CLONE_NEWNET) (root needed)");
                return 77;
        }
        if (bridge_add("br-bench") < 0) {
                fprintf(stderr, "cannot create a bridge in the namespace\n");
                return 1;
        }
        t = calloc((size_t)rounds, sizeof(*t));
        c = calloc((size_t)rounds, sizeof(*c));
        if (!t || !c)
                return 1;
        for (int i = 0; i < rounds; i++)
                t[i] = raw_round(&c[i]);
        report("raw", t, c, rounds);
        for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
                for (int i = 0; i < rounds; i++)
                        t[i] = vmm_round(rows[r].iface, &c[i]);
                report(rows[r].name, t, c, rounds);
        }
        free(t);
        free(c);
        return 0;
}
