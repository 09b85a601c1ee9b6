/* Resource limits on a cgroup v1 hierarchy. */
#include <errno.h>
#include <string.h>

#include "cgroup_limits.h"

/* memsw (memory + swap) must stay at or above the memory limit at every
 * step, so the order of the two writes depends on the direction. */
static int apply_memory_limits(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			       struct scute_err *err)
{
	struct scute_err first;

	if (r->has_memory_swap && !scute_cgroup_file_exists(d, "memory.memsw.limit_in_bytes"))
		return scute_err_set(err, ENOTSUP,
				     "linux.resources.memory.swap: this host has no "
				     "swap accounting (memory.memsw.*)");
	if (r->has_memory_limit && scute_cgroup_write(d, "memory.limit_in_bytes", &first, "%lld",
						      (long long)r->memory_limit) < 0) {
		if (!r->has_memory_swap)
			return *err = first, -1;
		if (scute_cgroup_write(d, "memory.memsw.limit_in_bytes", err, "%lld",
				       (long long)r->memory_swap) < 0 ||
		    scute_cgroup_write(d, "memory.limit_in_bytes", err, "%lld",
				       (long long)r->memory_limit) < 0)
			return -1;
	} else if (r->has_memory_swap &&
		   scute_cgroup_write(d, "memory.memsw.limit_in_bytes", err, "%lld",
				      (long long)r->memory_swap) < 0) {
		return -1;
	}
	return 0;
}

static int apply_memory(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			struct scute_err *err)
{
	if (scute_cgroup_check_memory(d, r, "memory.usage_in_bytes", err) < 0 ||
	    apply_memory_limits(d, r, err) < 0)
		return -1;
	if (r->has_memory_reservation &&
	    scute_cgroup_write(d, "memory.soft_limit_in_bytes", err, "%lld",
			       (long long)r->memory_reservation) < 0)
		return -1;
	if (r->has_memory_swappiness &&
	    scute_cgroup_write(d, "memory.swappiness", err, "%d", r->memory_swappiness) < 0)
		return -1;
	if (r->disable_oom_killer && scute_cgroup_write(d, "memory.oom_control", err, "1") < 0)
		return -1;
	if (r->has_kernel_tcp) {
		if (!scute_cgroup_file_exists(d, "memory.kmem.tcp.limit_in_bytes"))
			return scute_err_set(err, ENOTSUP,
					     "linux.resources.memory.kernelTCP: this "
					     "kernel has no "
					     "memory.kmem.tcp.limit_in_bytes");
		if (scute_cgroup_write(d, "memory.kmem.tcp.limit_in_bytes", err, "%lld",
				       (long long)r->kernel_tcp) < 0)
			return scute_err_prefix(err, "linux.resources.memory.kernelTCP");
	}
	return 0;
}

static int apply_cpu(const struct scute_cgroup_dir *d, const struct scute_resources *r,
		     struct scute_err *err)
{
	if (r->has_cpu_shares &&
	    scute_cgroup_write(d, "cpu.shares", err, "%llu", (unsigned long long)r->cpu_shares) < 0)
		return -1;
	/* The period first: a quota is checked against the current period. */
	if (r->has_cpu_period && scute_cgroup_write(d, "cpu.cfs_period_us", err, "%llu",
						    (unsigned long long)r->cpu_period) < 0)
		return -1;
	if (r->has_cpu_quota &&
	    scute_cgroup_write(d, "cpu.cfs_quota_us", err, "%lld", (long long)r->cpu_quota) < 0)
		return -1;
	if (r->has_cpu_burst && scute_cgroup_write(d, "cpu.cfs_burst_us", err, "%llu",
						   (unsigned long long)r->cpu_burst) < 0)
		return -1;
	/* The realtime period first, as for the quota. */
	if (r->has_cpu_rt_period && scute_cgroup_write(d, "cpu.rt_period_us", err, "%llu",
						       (unsigned long long)r->cpu_rt_period) < 0)
		return -1;
	if (r->has_cpu_rt_runtime && scute_cgroup_write(d, "cpu.rt_runtime_us", err, "%lld",
							(long long)r->cpu_rt_runtime) < 0)
		return -1;
	if (r->has_cpu_idle &&
	    scute_cgroup_write(d, "cpu.idle", err, "%lld", (long long)r->cpu_idle) < 0)
		return -1;
	return 0;
}

/* net_cls tags the container's packets with a class id; net_prio sets
 * per-interface priorities ("eth0 5"). */
static int apply_network(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			 struct scute_err *err)
{
	if (scute_cgroup_has(d, "net_cls") && r->has_net_class_id &&
	    scute_cgroup_write(d, "net_cls.classid", err, "%u", r->net_class_id) < 0)
		return scute_err_prefix(err, "linux.resources.network.classID");
	for (size_t i = 0; scute_cgroup_has(d, "net_prio") && i < r->n_net_priorities; i++)
		if (scute_cgroup_write(d, "net_prio.ifpriomap", err, "%s %u",
				       r->net_priorities[i].name,
				       r->net_priorities[i].priority) < 0)
			return scute_err_prefix(err, "linux.resources.network.priorities[%zu]", i);
	return 0;
}

int scute_cgroup_v1_apply(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  struct scute_err *err)
{
	if (scute_cgroup_has(d, "devices") && (!r->update || r->has_devices) &&
	    scute_cgroup_v1_devices(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "memory") && apply_memory(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "cpuset") &&
	    ((r->cpus && scute_cgroup_write(d, "cpuset.cpus", err, "%s", r->cpus) < 0) ||
	     (r->mems && scute_cgroup_write(d, "cpuset.mems", err, "%s", r->mems) < 0)))
		return -1;
	if (scute_cgroup_has(d, "blkio") && scute_cgroup_v1_blkio(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "cpu") && apply_cpu(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "hugetlb") && scute_cgroup_hugetlb(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "rdma") && scute_cgroup_rdma(d, r, err) < 0)
		return -1;
	if (apply_network(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "pids") && r->has_pids_limit) {
		if (r->pids_limit < 0)
			return scute_cgroup_write(d, "pids.max", err, "max");
		return scute_cgroup_write(d, "pids.max", err, "%lld", (long long)r->pids_limit);
	}
	return 0;
}
