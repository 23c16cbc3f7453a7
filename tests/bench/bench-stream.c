/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-stream: RPC stream figures against vmm-echo-test over a UNIX
 * socket: throughput of a daemon-to-client stream (paced by the 1 MiB
 * window), and the round trip of one small write echoed back (what a key
 * press on a console costs, without QEMU).
 *   bench-stream [MiB] [round-trips]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../unit/daemon-test-util.h"

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static VmmRpcStream *open_stream(VmmRpcClient *c, uint32_t produce)
{
        Vmm__TestStreamRequest req = VMM__TEST_STREAM_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcStream *s = NULL;

        req.has_produce = produce > 0;
        req.produce = produce;
        if (vmm_rpc_client_open_stream(c, &vmm_rpc_program_test, VMM_RPC_TEST_STREAM, &req.base,
                                       5000, &s, &err) < 0) {
                fprintf(stderr, "open stream: %s\n", vmm_error_message(&err));
                exit(1);
        }
        return s;
}

int main(int argc, char **argv)
{
        unsigned mib = argc > 1 ? (unsigned)atoi(argv[1]) : 256;
        int trips = argc > 2 ? atoi(argv[2]) : 2000;
        static uint8_t buf[1 << 16];
        VmmError err = VMM_ERROR_INIT;
        uint64_t got = 0;
        VmmRpcStream *s;
        VmmRpcClient *c;
        TestDaemon d;
        double t0, t;
        int n;

        td_start(&d, NULL);
        c = td_client(d.rw);

        s = open_stream(c, mib << 20);
        t0 = now_s();
        while ((n = vmm_rpc_stream_recv(s, buf, sizeof(buf), 10000, &err)) > 0)
                got += (uint64_t)n;
        t = now_s() - t0;
        if (n < 0 || got != (uint64_t)mib << 20) {
                fprintf(stderr, "stream: %d after %" PRIu64 " bytes: %s\n", n, got,
                        vmm_error_message(&err));
                return 1;
        }
        printf("daemon->client stream: %u MiB in %.3f s = %.0f MiB/s\n", mib, t, mib / t);
        vmm_rpc_stream_free(s);

        s = open_stream(c, 0);
        t0 = now_s();
        for (int i = 0; i < trips; i++) {
                if (vmm_rpc_stream_send(s, "k", 1, &err) < 0 ||
                    vmm_rpc_stream_recv(s, buf, 1, 5000, &err) != 1) {
                        fprintf(stderr, "echo: %s\n", vmm_error_message(&err));
                        return 1;
                }
        }
        t = now_s() - t0;
        printf("1-byte echo round trip: %.1f us (%d trips)\n", t / trips * 1e6, trips);
        vmm_rpc_stream_free(s);
        vmm_rpc_client_free(c);
        return td_stop(&d) == 0 ? 0 : 1;
}
