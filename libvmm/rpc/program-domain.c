/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* program-domain.c: the domain program's table (served by vmm-qemud). */
#include "rpc/programs.h"
#include "util/macros.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

#define CALL VMM_RPC_PROC_CALL
#define RO true
#define RW false
#define HIGH VMM_RPC_PRIORITY_HIGH
#define NORMAL VMM_RPC_PRIORITY_NORMAL

#define M(name) (&vmm__##name##__descriptor)

static const VmmRpcProc domain_procs[] = {
    {VMM_RPC_DOMAIN_LOOKUP_BY_NAME, "lookup-by-name", CALL, M(domain_lookup_by_name_request),
     M(domain_lookup_reply), "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_LOOKUP_BY_UUID, "lookup-by-uuid", CALL, M(domain_lookup_by_uuid_request),
     M(domain_lookup_reply), "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_LOOKUP_BY_ID, "lookup-by-id", CALL, M(domain_lookup_by_id_request),
     M(domain_lookup_reply), "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_LIST_ALL, "list-all", CALL, M(domain_list_all_request),
     M(domain_list_all_reply), "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_DEFINE_XML, "define-xml", CALL, M(domain_define_xml_request),
     M(domain_define_xml_reply), "domain.write", RW, NORMAL},
    {VMM_RPC_DOMAIN_UNDEFINE, "undefine", CALL, M(domain_request), M(rpc_empty), "domain.delete",
     RW, NORMAL},
    {VMM_RPC_DOMAIN_GET_XML, "get-xml", CALL, M(domain_request), M(domain_get_xml_reply),
     "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_GET_INFO, "get-info", CALL, M(domain_request), M(domain_get_info_reply),
     "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_GET_STATE, "get-state", CALL, M(domain_request), M(domain_get_state_reply),
     "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_START, "start", CALL, M(domain_request), M(rpc_empty), "domain.start", RW,
     NORMAL},
    {VMM_RPC_DOMAIN_SHUTDOWN, "shutdown", CALL, M(domain_request), M(rpc_empty), "domain.stop", RW,
     NORMAL},
    {VMM_RPC_DOMAIN_DESTROY, "destroy", CALL, M(domain_request), M(rpc_empty), "domain.stop", RW,
     NORMAL},
    {VMM_RPC_DOMAIN_SUSPEND, "suspend", CALL, M(domain_request), M(rpc_empty), "domain.suspend", RW,
     NORMAL},
    {VMM_RPC_DOMAIN_RESUME, "resume", CALL, M(domain_request), M(rpc_empty), "domain.suspend", RW,
     NORMAL},
    {VMM_RPC_DOMAIN_REBOOT, "reboot", CALL, M(domain_request), M(rpc_empty), "domain.init-control",
     RW, NORMAL},
    {VMM_RPC_DOMAIN_RESET, "reset", CALL, M(domain_request), M(rpc_empty), "domain.reset", RW,
     NORMAL},
    {VMM_RPC_DOMAIN_GET_AUTOSTART, "get-autostart", CALL, M(domain_request), M(domain_bool_reply),
     "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_SET_AUTOSTART, "set-autostart", CALL, M(domain_set_autostart_request),
     M(rpc_empty), "domain.write", RW, NORMAL},
    {VMM_RPC_DOMAIN_IS_ACTIVE, "is-active", CALL, M(domain_request), M(domain_bool_reply),
     "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_IS_PERSISTENT, "is-persistent", CALL, M(domain_request), M(domain_bool_reply),
     "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_CREATE_XML, "create-xml", CALL, M(domain_define_xml_request),
     M(domain_define_xml_reply), "domain.start", RW, NORMAL},
    {VMM_RPC_DOMAIN_EVENT_REGISTER, "event-register", CALL, M(domain_event_register_request),
     M(domain_event_register_reply), "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_EVENT_DEREGISTER, "event-deregister", CALL, M(domain_event_deregister_request),
     M(rpc_empty), "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_EVENT_LIFECYCLE, "lifecycle", VMM_RPC_PROC_EVENT, M(domain_lifecycle_event),
     NULL, NULL, RO, NORMAL},
    {VMM_RPC_DOMAIN_SET_MEMORY, "set-memory", CALL, M(domain_set_memory_request), M(rpc_empty),
     "domain.write", RW, NORMAL},
    {VMM_RPC_DOMAIN_GET_STATS, "get-stats", CALL, M(domain_get_stats_request),
     M(domain_get_stats_reply), "domain.read", RO, NORMAL},
    {VMM_RPC_DOMAIN_QEMU_MONITOR_COMMAND, "qemu-monitor-command", CALL,
     M(domain_monitor_command_request), M(domain_monitor_command_reply), "domain.write", RW,
     NORMAL},
    {VMM_RPC_DOMAIN_ATTACH_DEVICE, "attach-device", CALL, M(domain_device_request), M(rpc_empty),
     "domain.write", RW, NORMAL},
    {VMM_RPC_DOMAIN_DETACH_DEVICE, "detach-device", CALL, M(domain_device_request), M(rpc_empty),
     "domain.write", RW, NORMAL},
    {VMM_RPC_DOMAIN_SAVE, "save", CALL, M(domain_save_request), M(rpc_empty), "domain.hibernate",
     RW, NORMAL},
    {VMM_RPC_DOMAIN_RESTORE, "restore", CALL, M(domain_restore_request), M(domain_lookup_reply),
     "domain.start", RW, NORMAL},
    {VMM_RPC_DOMAIN_MANAGED_SAVE, "managed-save", CALL, M(domain_request), M(rpc_empty),
     "domain.hibernate", RW, NORMAL},
    {VMM_RPC_DOMAIN_HAS_MANAGED_SAVE, "has-managed-save", CALL, M(domain_request),
     M(domain_bool_reply), "domain.read", RO, HIGH},
    {VMM_RPC_DOMAIN_MANAGED_SAVE_REMOVE, "managed-save-remove", CALL, M(domain_request),
     M(rpc_empty), "domain.hibernate", RW, NORMAL},
    {VMM_RPC_DOMAIN_OPEN_CONSOLE, "open-console", CALL, M(domain_open_console_request),
     M(rpc_empty), "domain.open-device", RW, NORMAL},
    {VMM_RPC_DOMAIN_GET_VERSION, "get-version", CALL, M(rpc_empty), M(domain_version_reply),
     "connect.read", RO, HIGH},
};

const VmmRpcProgram vmm_rpc_program_domain = {
    .number = VMM_RPC_PROGRAM_DOMAIN,
    .version = 1,
    .name = "domain",
    .procs = domain_procs,
    .n_procs = ARRAY_SIZE(domain_procs),
};
