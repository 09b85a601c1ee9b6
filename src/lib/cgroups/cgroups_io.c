/* linux.resources.blockIO: v1 blkio and v2 io files. Proportional weights
 * go to the generic file when the kernel has one (blkio.weight, io.weight)
 * and else to BFQ's (blkio.bfq.weight, io.bfq.weight), as runc does. */
#include <errno.h>

#include "cgroup_limits.h"
#include "cgroups_convert.h"

static int v1_throttles(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			struct scute_err *err)
{
	static const char *const files[] = { "blkio.throttle.read_bps_device",
					     "blkio.throttle.write_bps_device",
					     "blkio.throttle.read_iops_device",
					     "blkio.throttle.write_iops_device" };

	for (size_t i = 0; i < r->n_throttles; i++) {
		const struct scute_throttle *t = &r->throttles[i];
		if (scute_cgroup_write(d, files[t->kind], err, "%lld:%lld %llu",
				       (long long)t->major, (long long)t->minor,
				       (unsigned long long)t->rate) < 0)
			return scute_err_prefix(err, "linux.resources.blockIO throttle %lld:%lld",
						(long long)t->major, (long long)t->minor);
	}
	return 0;
}

/* The first of two files the kernel has, or NULL. */
static const char *either(const struct scute_cgroup_dir *d, const char *a, const char *b)
{
	return scute_cgroup_file_exists(d, a) ? a : scute_cgroup_file_exists(d, b) ? b : NULL;
}

static int no_file(const char *field, const char *why, struct scute_err *err)
{
	return scute_err_set(err, ENOTSUP, "linux.resources.blockIO.%s: %s", field, why);
}

static const char no_leaf[] = "this kernel has no leaf weights (they went with the CFQ "
			      "scheduler in Linux 5.0)";

int scute_cgroup_v1_blkio(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  struct scute_err *err)
{
	const char *weight, *weight_device = NULL;

	if (v1_throttles(d, r, err) < 0)
		return -1;
	if (r->has_blkio_weight) {
		weight = either(d, "blkio.weight", "blkio.bfq.weight");
		if (!weight)
			return no_file("weight",
				       "this host's I/O schedulers offer no blkio weight "
				       "(neither blkio.weight nor blkio.bfq.weight)",
				       err);
		if (scute_cgroup_write(d, weight, err, "%u", r->blkio_weight) < 0)
			return scute_err_prefix(err, "linux.resources.blockIO.weight");
	}
	if (r->has_blkio_leaf_weight)
		return no_file("leafWeight", no_leaf, err);
	for (size_t i = 0; i < r->n_weight_devices; i++) {
		const struct scute_weight_device *w = &r->weight_devices[i];
		if (w->leaf_weight)
			return no_file("weightDevice.leafWeight", no_leaf, err);
		if (!w->weight)
			continue;
		if (!weight_device)
			weight_device = either(d, "blkio.weight_device", "blkio.bfq.weight_device");
		if (!weight_device)
			return no_file("weightDevice",
				       "this host has no blkio.weight_device nor "
				       "blkio.bfq.weight_device",
				       err);
		if (scute_cgroup_write(d, weight_device, err, "%lld:%lld %u", (long long)w->major,
				       (long long)w->minor, w->weight) < 0)
			return scute_err_prefix(err,
						"linux.resources.blockIO.weightDevice[%zu] "
						"(%s; BFQ weights need the device to use "
						"the bfq scheduler)",
						i, weight_device);
	}
	return 0;
}

int scute_cgroup_v2_io(const struct scute_cgroup_dir *d, const struct scute_resources *r,
		       struct scute_err *err)
{
	/* io.max takes one device per write: "MAJ:MIN rbps=N". */
	static const char *const io_keys[] = { "rbps", "wbps", "riops", "wiops" };
	bool bfq = (r->has_blkio_weight || r->n_weight_devices) &&
		   scute_cgroup_file_exists(d, "io.bfq.weight");
	const char *weight = bfq ? "io.bfq.weight" : "io.weight";

	for (size_t i = 0; i < r->n_throttles; i++) {
		const struct scute_throttle *t = &r->throttles[i];
		if (scute_cgroup_write(d, "io.max", err, "%lld:%lld %s=%llu", (long long)t->major,
				       (long long)t->minor, io_keys[t->kind],
				       (unsigned long long)t->rate) < 0)
			return scute_err_prefix(err, "linux.resources.blockIO throttle %lld:%lld",
						(long long)t->major, (long long)t->minor);
	}
	if (r->has_blkio_leaf_weight)
		return no_file("leafWeight", "cgroup v2 has no leaf weights", err);
	if (r->has_blkio_weight &&
	    (bfq ? scute_cgroup_write(d, weight, err, "%u", r->blkio_weight)
		 : scute_cgroup_write(
			   d, weight, err, "default %llu",
			   (unsigned long long)scute_blkio_to_io_weight(r->blkio_weight))) < 0)
		return scute_err_prefix(err, "linux.resources.blockIO.weight");
	for (size_t i = 0; i < r->n_weight_devices; i++) {
		const struct scute_weight_device *w = &r->weight_devices[i];
		unsigned long long v = bfq ? w->weight : scute_blkio_to_io_weight(w->weight);
		if (w->leaf_weight)
			return no_file("weightDevice.leafWeight", "cgroup v2 has no leaf weights",
				       err);
		if (w->weight &&
		    scute_cgroup_write(d, weight, err, "%lld:%lld %llu", (long long)w->major,
				       (long long)w->minor, v) < 0)
			return scute_err_prefix(err, "linux.resources.blockIO.weightDevice[%zu]",
						i);
	}
	return 0;
}
