/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-misc-dev.c: <emulator>, <memballoon>, <rng>, <watchdog>,
 * <panic>, <hub>, <sound>, <audio>, <iommu>, <vsock> and <tpm>. */
#include <errno.h>
#include <string.h>

#include "domain-misc-dev.h"
#include "util/error.h"

static const VmmDevField emulator_fields[] = {
    VMM_DEVF(NULL, NULL, VMM_DEVF_STR, VmmDomainEmulator, path),
};
const VmmDevDesc vmm_domain_emulator_desc =
    VMM_DEV_DESC(VmmDomainEmulator, "emulator", "dev-emulator", emulator_fields);

static const char *const balloon_model_table[] = {
    NULL, "virtio", "virtio-transitional", "virtio-non-transitional", "xen", "none"};
#define B VmmDomainMemballoon
static const VmmDevField memballoon_fields[] = {
    VMM_DEVF_ER(NULL, "model", B, model, balloon_model_table),
    VMM_DEVF_E(NULL, "autodeflate", B, autodeflate, vmm_dev_onoff_table),
    VMM_DEVF_E(NULL, "freePageReporting", B, free_page_reporting, vmm_dev_onoff_table),
    VMM_DEVF("stats", "period", VMM_DEVF_UINT, B, stats_period),
    VMM_DEVVIRTIO_FIELDS(B),
    VMM_DEVINFO_FIELDS(B),
};
#undef B
const VmmDevDesc vmm_domain_memballoon_desc =
    VMM_DEV_DESC(VmmDomainMemballoon, "memballoon", "dev-memballoon", memballoon_fields);

#define S VmmRngSource
static const VmmDevField rng_source_fields[] = {
    VMM_DEVF(NULL, "mode", VMM_DEVF_STR, S, mode),
    VMM_DEVF(NULL, "host", VMM_DEVF_STR, S, host),
    VMM_DEVF(NULL, "service", VMM_DEVF_STR, S, service),
    VMM_DEVF(NULL, "path", VMM_DEVF_STR, S, path),
    VMM_DEVF_E("reconnect", "enabled", S, reconnect_enabled, vmm_dev_yesno_table),
    VMM_DEVF("reconnect", "timeout", VMM_DEVF_UINT, S, reconnect_timeout),
};
#undef S
static const VmmDevDesc rng_source_desc =
    VMM_DEV_DESC(VmmRngSource, "source", "dev-rng-source", rng_source_fields);

enum { RNG_BACKEND_RANDOM = 1, RNG_BACKEND_EGD, RNG_BACKEND_BUILTIN };
static const char *const rng_backend_table[] = {NULL, "random", "egd", "builtin"};
#define K VmmRngBackend
static const VmmDevField rng_backend_fields[] = {
    VMM_DEVF_ER(NULL, "model", K, model, rng_backend_table),
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, K, type),
    VMM_DEVF(NULL, NULL, VMM_DEVF_STR, K, device),
    VMM_DEVF_L(NULL, "source", K, sources, n_sources, &rng_source_desc),
    VMM_DEVF("protocol", "type", VMM_DEVF_STR, K, protocol),
};
#undef K
static const VmmDevDesc rng_backend_desc =
    VMM_DEV_DESC(VmmRngBackend, "backend", "dev-rng-backend", rng_backend_fields);

#define R VmmDomainRng
static const VmmDevField rng_fields[] = {
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, R, model),
    VMM_DEVF_S(NULL, "backend", R, backend, &rng_backend_desc),
    VMM_DEVF_R("rate", "bytes", VMM_DEVF_UINT, R, rate_bytes),
    VMM_DEVF("rate", "period", VMM_DEVF_UINT, R, rate_period),
    VMM_DEVVIRTIO_FIELDS(R),
    VMM_DEVINFO_FIELDS(R),
};
#undef R
const VmmDevDesc vmm_domain_rng_desc = VMM_DEV_DESC(VmmDomainRng, "rng", "dev-rng", rng_fields);

static const char *const watchdog_action_table[] = {NULL,    "reset", "shutdown", "poweroff",
                                                    "pause", "none",  "dump",     "inject-nmi"};
static const VmmDevField watchdog_fields[] = {
    VMM_DEVF_R(NULL, "model", VMM_DEVF_STR, VmmDomainWatchdog, model),
    VMM_DEVF_E(NULL, "action", VmmDomainWatchdog, action, watchdog_action_table),
    VMM_DEVINFO_FIELDS(VmmDomainWatchdog),
};
const VmmDevDesc vmm_domain_watchdog_desc =
    VMM_DEV_DESC(VmmDomainWatchdog, "watchdog", "dev-watchdog", watchdog_fields);

static const VmmDevField panic_fields[] = {
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, VmmDomainSimpleDev, model),
    VMM_DEVINFO_FIELDS(VmmDomainSimpleDev),
};
const VmmDevDesc vmm_domain_panic_desc =
    VMM_DEV_DESC(VmmDomainSimpleDev, "panic", "dev-panic", panic_fields);
static const VmmDevField hub_fields[] = {
    VMM_DEVF_R(NULL, "type", VMM_DEVF_STR, VmmDomainSimpleDev, model),
    VMM_DEVINFO_FIELDS(VmmDomainSimpleDev),
};
const VmmDevDesc vmm_domain_hub_desc =
    VMM_DEV_DESC(VmmDomainSimpleDev, "hub", "dev-hub", hub_fields);

static const VmmDevField nvram_fields[] = {
    VMM_DEVINFO_FIELDS(VmmDomainSimpleDev),
};
const VmmDevDesc vmm_domain_nvram_desc =
    VMM_DEV_DESC(VmmDomainSimpleDev, "nvram", "dev-nvram", nvram_fields);

static const VmmDevField codec_fields[] = {
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, VmmSoundCodec, type),
};
static const VmmDevDesc codec_desc =
    VMM_DEV_DESC(VmmSoundCodec, "codec", "dev-sound-codec", codec_fields);
static const VmmDevField sound_fields[] = {
    VMM_DEVF_R(NULL, "model", VMM_DEVF_STR, VmmDomainSound, model),
    VMM_DEVF_L(NULL, "codec", VmmDomainSound, codecs, n_codecs, &codec_desc),
    VMM_DEVF("audio", "id", VMM_DEVF_UINT, VmmDomainSound, audio_id),
    VMM_DEVINFO_FIELDS(VmmDomainSound),
};
const VmmDevDesc vmm_domain_sound_desc =
    VMM_DEV_DESC(VmmDomainSound, "sound", "dev-sound", sound_fields);

#define A VmmAudioStream
#define AUDIO_STREAM_FIELDS                                                                        \
        VMM_DEVF(NULL, "mixingEngine", VMM_DEVF_STR, A, mixing_engine),                            \
            VMM_DEVF(NULL, "fixedSettings", VMM_DEVF_STR, A, fixed_settings),                      \
            VMM_DEVF(NULL, "voices", VMM_DEVF_UINT, A, voices),                                    \
            VMM_DEVF(NULL, "bufferLength", VMM_DEVF_UINT, A, buffer_length),                       \
            VMM_DEVF(NULL, "bufferCount", VMM_DEVF_UINT, A, buffer_count),                         \
            VMM_DEVF(NULL, "latency", VMM_DEVF_UINT, A, latency),                                  \
            VMM_DEVF(NULL, "dev", VMM_DEVF_STR, A, dev),                                           \
            VMM_DEVF(NULL, "name", VMM_DEVF_STR, A, name),                                         \
            VMM_DEVF(NULL, "streamName", VMM_DEVF_STR, A, stream_name),                            \
            VMM_DEVF(NULL, "tryPoll", VMM_DEVF_STR, A, try_poll),                                  \
            VMM_DEVF("settings", "frequency", VMM_DEVF_UINT, A, frequency),                        \
            VMM_DEVF("settings", "channels", VMM_DEVF_UINT, A, channels),                          \
            VMM_DEVF("settings", "format", VMM_DEVF_STR, A, format)
static const VmmDevField audio_stream_fields[] = {AUDIO_STREAM_FIELDS};
#undef AUDIO_STREAM_FIELDS
#undef A
static const VmmDevDesc audio_input_desc =
    VMM_DEV_DESC(VmmAudioStream, "input", "dev-audio-input", audio_stream_fields);
static const VmmDevDesc audio_output_desc =
    VMM_DEV_DESC(VmmAudioStream, "output", "dev-audio-output", audio_stream_fields);
#define A VmmDomainAudio
static const VmmDevField audio_fields[] = {
    VMM_DEVF_R(NULL, "id", VMM_DEVF_UINT, A, id),
    VMM_DEVF_R(NULL, "type", VMM_DEVF_STR, A, type),
    VMM_DEVF(NULL, "timerPeriod", VMM_DEVF_STR, A, timer_period),
    VMM_DEVF(NULL, "driver", VMM_DEVF_STR, A, driver),
    VMM_DEVF(NULL, "path", VMM_DEVF_STR, A, path),
    VMM_DEVF(NULL, "serverName", VMM_DEVF_STR, A, server_name),
    VMM_DEVF(NULL, "runtimeDir", VMM_DEVF_STR, A, runtime_dir),
    VMM_DEVF(NULL, "tryMMap", VMM_DEVF_STR, A, try_mmap),
    VMM_DEVF(NULL, "exclusive", VMM_DEVF_STR, A, exclusive),
    VMM_DEVF(NULL, "dspPolicy", VMM_DEVF_STR, A, dsp_policy),
    VMM_DEVF_S(NULL, "input", A, input, &audio_input_desc),
    VMM_DEVF_S(NULL, "output", A, output, &audio_output_desc),
};
#undef A
const VmmDevDesc vmm_domain_audio_desc =
    VMM_DEV_DESC(VmmDomainAudio, "audio", "dev-audio", audio_fields);

#define I VmmDomainIommu
static const VmmDevField iommu_fields[] = {
    VMM_DEVF_R(NULL, "model", VMM_DEVF_STR, I, model),
    VMM_DEVF_E("driver", "intremap", I, intremap, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "caching_mode", I, caching_mode, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "eim", I, eim, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "iotlb", I, iotlb, vmm_dev_onoff_table),
    VMM_DEVF("driver", "aw_bits", VMM_DEVF_UINT, I, aw_bits),
    VMM_DEVF_E("driver", "dma_translation", I, dma_translation, vmm_dev_onoff_table),
    VMM_DEVINFO_FIELDS(I),
};
#undef I
const VmmDevDesc vmm_domain_iommu_desc =
    VMM_DEV_DESC(VmmDomainIommu, "iommu", "dev-iommu", iommu_fields);

#define V VmmDomainVsock
static const VmmDevField vsock_fields[] = {
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, V, model),
    VMM_DEVF_E("cid", "auto", V, cid_auto, vmm_dev_yesno_table),
    VMM_DEVF("cid", "address", VMM_DEVF_UINT, V, cid_address),
    VMM_DEVVIRTIO_FIELDS(V),
    VMM_DEVINFO_FIELDS(V),
};
#undef V
const VmmDevDesc vmm_domain_vsock_desc =
    VMM_DEV_DESC(VmmDomainVsock, "vsock", "dev-vsock", vsock_fields);

#define P VmmTpmPcrBanks
static const VmmDevField pcr_fields[] = {
    VMM_DEVF("sha1", NULL, VMM_DEVF_FLAG, P, sha1),
    VMM_DEVF("sha256", NULL, VMM_DEVF_FLAG, P, sha256),
    VMM_DEVF("sha384", NULL, VMM_DEVF_FLAG, P, sha384),
    VMM_DEVF("sha512", NULL, VMM_DEVF_FLAG, P, sha512),
};
#undef P
static const VmmDevDesc pcr_desc =
    VMM_DEV_DESC(VmmTpmPcrBanks, "active_pcr_banks", "dev-tpm-pcr-banks", pcr_fields);

#define T VmmTpmBackend
static const VmmDevField tpm_backend_fields[] = {
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, T, type),
    VMM_DEVF(NULL, "version", VMM_DEVF_STR, T, version),
    VMM_DEVF(NULL, "debug", VMM_DEVF_STR, T, debug),
    VMM_DEVF(NULL, "persistent_state", VMM_DEVF_STR, T, persistent_state),
    VMM_DEVF("device", "path", VMM_DEVF_STR, T, device_path),
    VMM_DEVF("encryption", "secret", VMM_DEVF_STR, T, encryption_secret),
    VMM_DEVF("source", "type", VMM_DEVF_STR, T, source_type),
    VMM_DEVF("source", "mode", VMM_DEVF_STR, T, source_mode),
    VMM_DEVF("source", "path", VMM_DEVF_STR, T, source_path),
    VMM_DEVF_S(NULL, "active_pcr_banks", T, active_pcr_banks, &pcr_desc),
};
#undef T
static const VmmDevDesc tpm_backend_desc =
    VMM_DEV_DESC(VmmTpmBackend, "backend", "dev-tpm-backend", tpm_backend_fields);
static const VmmDevField tpm_fields[] = {
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, VmmDomainTpm, model),
    {.name = "backend",
     .kind = VMM_DEVF_SUB,
     .offset = offsetof(VmmDomainTpm, backend),
     .sub = &tpm_backend_desc,
     .required = true},
    VMM_DEVINFO_FIELDS(VmmDomainTpm),
};
const VmmDevDesc vmm_domain_tpm_desc = VMM_DEV_DESC(VmmDomainTpm, "tpm", "dev-tpm", tpm_fields);

#define L VmmDomainLease
static const VmmDevField lease_fields[] = {
    VMM_DEVF("lockspace", NULL, VMM_DEVF_STR, L, lockspace),
    VMM_DEVF("key", NULL, VMM_DEVF_STR, L, key),
    VMM_DEVF("target", "path", VMM_DEVF_STR, L, target_path),
    VMM_DEVF("target", "offset", VMM_DEVF_UINT, L, target_offset),
};
#undef L
const VmmDevDesc vmm_domain_lease_desc =
    VMM_DEV_DESC(VmmDomainLease, "lease", "dev-lease", lease_fields);

#define U VmmRedirUsbdev
static const VmmDevField usbdev_fields[] = {
    VMM_DEVF(NULL, "class", VMM_DEVF_STR, U, class_id),
    VMM_DEVF(NULL, "vendor", VMM_DEVF_STR, U, vendor),
    VMM_DEVF(NULL, "product", VMM_DEVF_STR, U, product),
    VMM_DEVF(NULL, "version", VMM_DEVF_STR, U, version),
    VMM_DEVF_E(NULL, "allow", U, allow, vmm_dev_yesno_table),
};
#undef U
static const VmmDevDesc usbdev_desc =
    VMM_DEV_DESC(VmmRedirUsbdev, "usbdev", "dev-redirfilter-usbdev", usbdev_fields);
static const VmmDevField redirfilter_fields[] = {
    VMM_DEVF_L(NULL, "usbdev", VmmDomainRedirfilter, usbdevs, n_usbdevs, &usbdev_desc),
};
const VmmDevDesc vmm_domain_redirfilter_desc =
    VMM_DEV_DESC(VmmDomainRedirfilter, "redirfilter", "dev-redirfilter", redirfilter_fields);

#define C VmmDomainCrypto
static const VmmDevField crypto_fields[] = {
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, C, model),
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, C, type),
    VMM_DEVF("backend", "model", VMM_DEVF_STR, C, backend_model),
    VMM_DEVF("backend", "queues", VMM_DEVF_UINT, C, backend_queues),
    VMM_DEVINFO_FIELDS(C),
};
#undef C
const VmmDevDesc vmm_domain_crypto_desc =
    VMM_DEV_DESC(VmmDomainCrypto, "crypto", "dev-crypto", crypto_fields);

int vmm_domain_rng_check(const VmmDomainRng *rng, VmmError *error)
{
        const VmmRngBackend *b = rng->backend;

        if (!b)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "rng %s: <backend> is missing (expected e.g. <backend "
                                     "model='random'>/dev/urandom</backend>)",
                                     strna(rng->model));
        if (!b->model)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "rng: <backend> needs model= (expected \"random\", "
                                     "\"egd\" or \"builtin\")");
        if (b->model == RNG_BACKEND_EGD && !b->type)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "rng: an egd <backend> needs type= (expected e.g. "
                                     "\"tcp\" or \"unix\")");
        return 0;
}

int vmm_domain_emulator_check(const VmmDomainEmulator *emulator, VmmError *error)
{
        if (!emulator->path || emulator->path[0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "emulator: \"%s\" is not an absolute path (expected e.g. "
                                     "\"/usr/bin/qemu-system-x86_64\")",
                                     strempty(emulator->path));
        return 0;
}

int vmm_domain_iommu_check(const VmmDomainIommu *iommu, VmmError *error)
{
        const VmmDevAddress *a = iommu->info.address;

        if (!iommu->model || strcmp(iommu->model, "virtio") != 0 || !a)
                return 0;
        if (a->type != VMM_DEV_ADDRESS_PCI)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "iommu virtio: address type must be 'pci'");
        if (a->bus != VMM_DEV_UNSET && a->bus != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "iommu virtio: bus 0x%llx is not valid (expected the "
                                     "root bus, 0)",
                                     (long long)a->bus);
        return 0;
}
