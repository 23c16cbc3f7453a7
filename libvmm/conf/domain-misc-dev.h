/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-misc-dev.h: the smaller devices: <emulator>, <memballoon>, <rng>,
 * <watchdog>, <panic>, <sound>, <audio>, <hub>, <iommu>, <vsock>, <tpm>,
 * <nvram>, <lease>, <redirfilter>, <crypto>. */
#pragma once

#include "domain-address.h"

typedef struct VmmDomainEmulator {
        char *path;
        VmmDevExtra extra;
} VmmDomainEmulator;

typedef struct VmmDomainMemballoon {
        int model; /* virtio, virtio-transitional, virtio-non-transitional, xen, none */
        int autodeflate, free_page_reporting;
        int64_t stats_period;
        VmmDevVirtio virtio;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainMemballoon;

typedef struct VmmRngSource {
        char *mode, *host, *service, *path;
        int reconnect_enabled;
        int64_t reconnect_timeout;
        VmmDevExtra extra;
} VmmRngSource;

typedef struct VmmRngBackend {
        int model;    /* random, egd, builtin */
        char *type;   /* egd: the chardev type */
        char *device; /* random: the text, e.g. /dev/urandom */
        char *protocol;
        VmmRngSource **sources;
        size_t n_sources;
        VmmDevExtra extra;
} VmmRngBackend;

typedef struct VmmDomainRng {
        char *model;
        VmmRngBackend *backend;
        int64_t rate_bytes, rate_period;
        VmmDevVirtio virtio;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainRng;

typedef struct VmmDomainWatchdog {
        char *model;
        int action;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainWatchdog;

/* <panic>, <hub> and other devices named by one attribute. */
typedef struct VmmDomainSimpleDev {
        char *model; /* panic model=, hub type= */
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainSimpleDev;

typedef struct VmmSoundCodec {
        char *type;
        VmmDevExtra extra;
} VmmSoundCodec;

typedef struct VmmDomainSound {
        char *model;
        VmmSoundCodec **codecs;
        size_t n_codecs;
        int64_t audio_id;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainSound;

typedef struct VmmAudioStream { /* <input> and <output> of <audio> */
        char *mixing_engine, *fixed_settings, *dev, *name, *stream_name, *try_poll;
        int64_t voices, buffer_length, buffer_count, latency;
        int64_t frequency, channels;
        char *format;
        VmmDevExtra extra;
} VmmAudioStream;

typedef struct VmmDomainAudio {
        int64_t id;
        char *type, *timer_period, *driver, *path, *server_name, *runtime_dir;
        char *try_mmap, *exclusive, *dsp_policy;
        VmmAudioStream *input, *output;
        VmmDevExtra extra;
} VmmDomainAudio;

typedef struct VmmDomainIommu {
        char *model;
        int intremap, caching_mode, eim, iotlb, dma_translation;
        int64_t aw_bits;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainIommu;

typedef struct VmmDomainVsock {
        char *model;
        int cid_auto;
        int64_t cid_address;
        VmmDevVirtio virtio;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainVsock;

typedef struct VmmTpmPcrBanks {
        bool sha1, sha256, sha384, sha512;
        VmmDevExtra extra;
} VmmTpmPcrBanks;

typedef struct VmmTpmBackend {
        char *type, *version, *debug, *persistent_state;
        char *device_path, *encryption_secret;
        char *source_type, *source_mode, *source_path;
        VmmTpmPcrBanks *active_pcr_banks;
        VmmDevExtra extra;
} VmmTpmBackend;

typedef struct VmmDomainTpm {
        char *model;
        VmmTpmBackend *backend;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainTpm;

typedef struct VmmDomainLease {
        char *lockspace, *key, *target_path;
        int64_t target_offset;
        VmmDevExtra extra;
} VmmDomainLease;

typedef struct VmmRedirUsbdev {
        char *class_id, *vendor, *product, *version;
        int allow;
        VmmDevExtra extra;
} VmmRedirUsbdev;

typedef struct VmmDomainRedirfilter {
        VmmRedirUsbdev **usbdevs;
        size_t n_usbdevs;
        VmmDevExtra extra;
} VmmDomainRedirfilter;

typedef struct VmmDomainCrypto {
        char *model, *type, *backend_model;
        int64_t backend_queues;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainCrypto;

extern const VmmDevDesc vmm_domain_lease_desc;
extern const VmmDevDesc vmm_domain_redirfilter_desc;
extern const VmmDevDesc vmm_domain_crypto_desc;
extern const VmmDevDesc vmm_domain_emulator_desc;
extern const VmmDevDesc vmm_domain_memballoon_desc;
extern const VmmDevDesc vmm_domain_rng_desc;
extern const VmmDevDesc vmm_domain_watchdog_desc;
extern const VmmDevDesc vmm_domain_panic_desc;
extern const VmmDevDesc vmm_domain_hub_desc;
extern const VmmDevDesc vmm_domain_nvram_desc;
extern const VmmDevDesc vmm_domain_sound_desc;
extern const VmmDevDesc vmm_domain_audio_desc;
extern const VmmDevDesc vmm_domain_iommu_desc;
extern const VmmDevDesc vmm_domain_vsock_desc;
extern const VmmDevDesc vmm_domain_tpm_desc;

int vmm_domain_iommu_check(const VmmDomainIommu *iommu, VmmError *error);
int vmm_domain_rng_check(const VmmDomainRng *rng, VmmError *error);
int vmm_domain_emulator_check(const VmmDomainEmulator *emulator, VmmError *error);
