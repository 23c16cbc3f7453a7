/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fdpass.c: SCM_RIGHTS send and receive. */
#include "rpc/fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/error.h"

ssize_t vmm_rpc_send_fds(int sock, const void *data, size_t len, const int *fds, size_t n_fds,
                         VmmError *error)
{
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int) * VMM_RPC_MAX_FDS)];
        } control;
        struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        struct cmsghdr *cmsg;
        ssize_t n;

        vmm_check_arg(len >= 1, error, "len (descriptors need at least one byte)");
        if (n_fds > VMM_RPC_MAX_FDS)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "cannot pass %zu descriptors at once (limit %d)", n_fds,
                                     VMM_RPC_MAX_FDS);
        if (n_fds > 0) {
                memset(&control, 0, sizeof(control));
                msg.msg_control = control.buf;
                msg.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
                cmsg = CMSG_FIRSTHDR(&msg);
                cmsg->cmsg_level = SOL_SOCKET;
                cmsg->cmsg_type = SCM_RIGHTS;
                cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
                memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n_fds);
        }
        do
                n = sendmsg(sock, &msg, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return vmm_error_set_errno(error, -errno, "passing %zu descriptor(s)", n_fds);
        return n;
}

static void close_all(int *fds, size_t n)
{
        for (size_t i = 0; i < n; i++)
                close(fds[i]);
}

ssize_t vmm_rpc_recv_fds(int sock, void *buf, size_t len, int *fds, size_t max_fds,
                         size_t *ret_n_fds, VmmError *error)
{
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int) * VMM_RPC_MAX_FDS)];
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = len};
        struct msghdr msg = {.msg_iov = &iov,
                             .msg_iovlen = 1,
                             .msg_control = control.buf,
                             .msg_controllen = sizeof(control.buf)};
        size_t got = 0, too_many = 0;
        ssize_t n;

        do
                n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return vmm_error_set_errno(error, -errno, "receiving descriptors");
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                int *in = (int *)(void *)CMSG_DATA(c);
                for (size_t i = 0; i < k; i++) {
                        if (got < max_fds)
                                fds[got++] = in[i];
                        else {
                                close(in[i]);
                                too_many++;
                        }
                }
        }
        if (too_many || (msg.msg_flags & MSG_CTRUNC)) {
                close_all(fds, got);
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "peer passed more descriptors than the %zu expected", max_fds);
        }
        *ret_n_fds = got;
        return n;
}
