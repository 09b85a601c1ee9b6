/* The limit writers, one per cgroup version and per controller family;
 * cgroups.c calls them, and they call only cgroup_dir.h. */
#ifndef SCUTE_CGROUP_LIMITS_H
#define SCUTE_CGROUP_LIMITS_H

#include "cgroup_dir.h"

/* Limits: one writer per cgroup version (cgroups_v1.c, cgroups_v2.c), with
 * blockIO (cgroups_io.c), hugetlb and rdma (cgroups_hugetlb_rdma.c) and
 * devices (cgroups_devices.c) shared between them. `devices`: this
 * directory enforces the device rules (v2: when no v1 devices hierarchy). */
int scute_cgroup_v1_apply(const struct scute_cgroup_dir *dir, const struct scute_resources *res,
			  struct scute_err *err);
int scute_cgroup_v2_apply(const struct scute_cgroup_dir *dir, const struct scute_resources *res,
			  bool devices, struct scute_err *err);
int scute_cgroup_v1_blkio(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  struct scute_err *err);
int scute_cgroup_v2_io(const struct scute_cgroup_dir *d, const struct scute_resources *r,
		       struct scute_err *err);
int scute_cgroup_hugetlb(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			 struct scute_err *err);
int scute_cgroup_rdma(const struct scute_cgroup_dir *d, const struct scute_resources *r,
		      struct scute_err *err);
/* Device rules: the default set, then the config's, in order. */
int scute_cgroup_v1_devices(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			    struct scute_err *err);
/* Attach an eBPF device program for the rules (replacing scute's earlier
 * one on update). */
int scute_cgroup_v2_devices(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			    struct scute_err *err);
/* The program's instructions (malloc'd); -1 with errno on failure. */
struct bpf_insn;
int scute_device_program(const struct scute_resources *r, struct bpf_insn **insns, size_t *n);

#endif
