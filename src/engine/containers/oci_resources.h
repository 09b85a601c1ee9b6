/* A container's resource limits as docker keeps them (HostConfig's
 * resource fields) turned into the OCI config's linux.resources, with the
 * checks dockerd makes of them. One function, used for the config a
 * container starts with and for `update` of a live one, so both mean the
 * same by each field:
 *
 *   NanoCpus            cpu.period 100000, cpu.quota NanoCpus / 10000
 *                       (NanoCpus * period / 1e9); not with CpuPeriod or
 *                       CpuQuota; at least 10000000 (0.01 CPU)
 *   CpuShares           cpu.shares (not negative)
 *   CpuPeriod           cpu.period, 1000 to 1000000 (us)
 *   CpuQuota            cpu.quota, -1 (none) or at least 1000 (us)
 *   CpusetCpus/Mems     cpu.cpus / cpu.mems, cpuset lists
 *   Memory              memory.limit, at least 6 MiB
 *   MemorySwap          memory.swap (memory and swap together), -1 for no
 *                       limit; with Memory, and not below it
 *   MemoryReservation   memory.reservation, at least 6 MiB, not above Memory
 *   OomKillDisable      memory.disableOOMKiller (true only)
 *   PidsLimit           pids.limit; 0 or negative is -1, no limit (null
 *                       or absent: not set)
 *   BlkioWeight         blockIO.weight, 10 to 1000
 *
 * A field that is absent, null, 0 or "" is not set and gives nothing (the
 * kernel's default stays), as dockerd treats its zero values. */
#ifndef SCUTE_ENGINE_OCI_RESOURCES_H
#define SCUTE_ENGINE_OCI_RESOURCES_H

#include <jansson.h>

#include "scute.h"

/* linux.resources for host_config (a new object, {} when nothing is set),
 * or NULL with EINVAL naming the field and value: "HostConfig.Memory:
 * 1024: the minimum memory limit is 6MB". */
json_t *scute_oci_resources_from_host_config(json_t *host_config, struct scute_err *err);

#endif
