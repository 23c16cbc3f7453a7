/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-video.h: <video>. */
#pragma once

#include "domain-address.h"
/* <input> and <controller> were declared here at first; kept reachable */
#include "domain-controller.h"
#include "domain-input.h"

typedef enum VmmVideoModelType {
        VMM_VIDEO_MODEL_NONE_SET = 0,
        VMM_VIDEO_MODEL_VGA,
        VMM_VIDEO_MODEL_CIRRUS,
        VMM_VIDEO_MODEL_VMVGA,
        VMM_VIDEO_MODEL_XEN,
        VMM_VIDEO_MODEL_VBOX,
        VMM_VIDEO_MODEL_QXL,
        VMM_VIDEO_MODEL_PARALLELS,
        VMM_VIDEO_MODEL_VIRTIO,
        VMM_VIDEO_MODEL_GOP,
        VMM_VIDEO_MODEL_NONE,
        VMM_VIDEO_MODEL_BOCHS,
        VMM_VIDEO_MODEL_RAMFB,
        _VMM_VIDEO_MODEL_MAX
} VmmVideoModelType;

typedef struct VmmVideoModel {
        int type; /* VmmVideoModelType */
        int64_t vram, ram, vgamem, vram64, heads;
        int primary, blob;
        int accel3d, accel2d;
        char *rendernode;
        int64_t res_x, res_y;
        VmmDevExtra extra;
} VmmVideoModel;

typedef struct VmmDomainVideo {
        VmmVideoModel *model;
        char *driver_name, *driver_vgaconf;
        VmmDevVirtio virtio;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainVideo;

extern const VmmDevDesc vmm_domain_video_desc;
int vmm_domain_video_check(const VmmDomainVideo *video, VmmError *error);
