/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-graphics.h: <graphics> (vnc, spice, sdl, rdp, desktop,
 * egl-headless, dbus) with <listen> children. */
#pragma once

#include "domain-address.h"

typedef enum VmmGraphicsType {
        VMM_GRAPHICS_TYPE_NONE = 0,
        VMM_GRAPHICS_TYPE_SDL,
        VMM_GRAPHICS_TYPE_VNC,
        VMM_GRAPHICS_TYPE_RDP,
        VMM_GRAPHICS_TYPE_DESKTOP,
        VMM_GRAPHICS_TYPE_SPICE,
        VMM_GRAPHICS_TYPE_EGL_HEADLESS,
        VMM_GRAPHICS_TYPE_DBUS,
        _VMM_GRAPHICS_TYPE_MAX
} VmmGraphicsType;

typedef enum VmmGraphicsListenType {
        VMM_GRAPHICS_LISTEN_NONE_SET = 0,
        VMM_GRAPHICS_LISTEN_ADDRESS,
        VMM_GRAPHICS_LISTEN_NETWORK,
        VMM_GRAPHICS_LISTEN_SOCKET,
        VMM_GRAPHICS_LISTEN_NONE, /* type='none': no listener at all */
        _VMM_GRAPHICS_LISTEN_MAX
} VmmGraphicsListenType;

typedef struct VmmGraphicsListen {
        int type; /* VmmGraphicsListenType */
        char *address, *network, *socket;
        int auto_generated, from_config;
        VmmDevExtra extra;
} VmmGraphicsListen;

typedef struct VmmGraphicsChannel {
        char *name, *mode;
        VmmDevExtra extra;
} VmmGraphicsChannel;

typedef struct VmmDomainGraphics {
        int type; /* VmmGraphicsType */
        int64_t port, tls_port, websocket;
        int autoport;
        char *listen; /* the listen= attribute (mirrors the first <listen>) */
        char *socket, *keymap, *share_policy, *default_mode, *display, *xauth, *address;
        char *passwd; /* secret: formatted only with VMM_DEV_FORMAT_SECURE */
        char *passwd_valid_to, *connected, *power_control, *websocket_generated;
        int fullscreen, multi_user, replace_user, p2p;
        VmmGraphicsListen **listens;
        size_t n_listens;
        VmmGraphicsChannel **channels;
        size_t n_channels;
        char *image_compression, *jpeg_compression, *zlib_compression;
        char *playback_compression, *streaming_mode, *mouse_mode;
        int clipboard_copypaste, filetransfer_enable, gl_enable;
        char *gl_rendernode;
        int64_t audio_id;
        VmmDevExtra extra;
} VmmDomainGraphics;

extern const VmmDevDesc vmm_domain_graphics_desc;

const char *vmm_graphics_type_to_string(VmmGraphicsType v);
int vmm_graphics_type_from_string(const char *s);

/* Checks ports (-1 only with autoport) and each <listen>'s attributes. */
int vmm_domain_graphics_check(const VmmDomainGraphics *g, VmmError *error);
