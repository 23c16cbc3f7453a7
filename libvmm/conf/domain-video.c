/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-video.c: <video> with its <model> (type, vram, heads, primary,
 * acceleration, resolution) and <driver>. */
#include <errno.h>

#include "domain-video.h"
#include "util/error.h"

static const char *const video_model_table[_VMM_VIDEO_MODEL_MAX] = {
    [VMM_VIDEO_MODEL_VGA] = "vga",
    [VMM_VIDEO_MODEL_CIRRUS] = "cirrus",
    [VMM_VIDEO_MODEL_VMVGA] = "vmvga",
    [VMM_VIDEO_MODEL_XEN] = "xen",
    [VMM_VIDEO_MODEL_VBOX] = "vbox",
    [VMM_VIDEO_MODEL_QXL] = "qxl",
    [VMM_VIDEO_MODEL_PARALLELS] = "parallels",
    [VMM_VIDEO_MODEL_VIRTIO] = "virtio",
    [VMM_VIDEO_MODEL_GOP] = "gop",
    [VMM_VIDEO_MODEL_NONE] = "none",
    [VMM_VIDEO_MODEL_BOCHS] = "bochs",
    [VMM_VIDEO_MODEL_RAMFB] = "ramfb",
};

#define M VmmVideoModel
static const VmmDevField model_fields[] = {
    VMM_DEVF_ER(NULL, "type", M, type, video_model_table),
    VMM_DEVF(NULL, "ram", VMM_DEVF_UINT, M, ram),
    VMM_DEVF(NULL, "vram", VMM_DEVF_UINT, M, vram),
    VMM_DEVF(NULL, "vram64", VMM_DEVF_UINT, M, vram64),
    VMM_DEVF(NULL, "vgamem", VMM_DEVF_UINT, M, vgamem),
    VMM_DEVF(NULL, "heads", VMM_DEVF_UINT, M, heads),
    VMM_DEVF_E(NULL, "primary", M, primary, vmm_dev_yesno_table),
    VMM_DEVF_E(NULL, "blob", M, blob, vmm_dev_onoff_table),
    VMM_DEVF_E("acceleration", "accel3d", M, accel3d, vmm_dev_yesno_table),
    VMM_DEVF_E("acceleration", "accel2d", M, accel2d, vmm_dev_yesno_table),
    VMM_DEVF("acceleration", "rendernode", VMM_DEVF_STR, M, rendernode),
    VMM_DEVF("resolution", "x", VMM_DEVF_UINT, M, res_x),
    VMM_DEVF("resolution", "y", VMM_DEVF_UINT, M, res_y),
};
#undef M
static const VmmDevDesc model_desc =
    VMM_DEV_DESC(VmmVideoModel, "model", "dev-video-model", model_fields);

#define V VmmDomainVideo
static const VmmDevField video_fields[] = {
    VMM_DEVF("driver", "name", VMM_DEVF_STR, V, driver_name),
    VMM_DEVF("driver", "vgaconf", VMM_DEVF_STR, V, driver_vgaconf),
    VMM_DEVVIRTIO_FIELDS(V),
    VMM_DEVF_S(NULL, "model", V, model, &model_desc),
    VMM_DEVINFO_FIELDS(V),
};
#undef V

const VmmDevDesc vmm_domain_video_desc =
    VMM_DEV_DESC(VmmDomainVideo, "video", "dev-video", video_fields);

int vmm_domain_video_check(const VmmDomainVideo *video, VmmError *error)
{
        const VmmVideoModel *m = video->model;

        if (!m)
                return 0;
        if (m->heads == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "video %s: heads \"0\" is not valid (expected at least 1)",
                                     video_model_table[m->type] ? video_model_table[m->type] : "");
        if (m->type == VMM_VIDEO_MODEL_NONE && video->info.address)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "video none: a video of model 'none' cannot have an "
                                     "<address>");
        return 0;
}
