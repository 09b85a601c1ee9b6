/* Conversions between the OCI (cgroup v1) values and cgroup v2 files. */
#ifndef SCUTE_CGROUPS_CONVERT_H
#define SCUTE_CGROUPS_CONVERT_H

#include <stdint.h>

/* cpu.shares (2..262144) to cpu.weight (1..10000). */
uint64_t scute_shares_to_weight(uint64_t shares);
/* blkio.weight (10..1000) to io.weight (1..10000). */
uint64_t scute_blkio_to_io_weight(uint64_t weight);
/* OCI swap counts memory + swap (v1 memsw); v2's memory.swap.max counts
 * swap only. Writes "max" or the number into buf; -1 when the pair makes
 * no sense (swap below the memory limit, or a swap limit without one). */
int scute_swap_to_v2(int64_t limit, int64_t swap, char *buf, unsigned long len);

#endif
