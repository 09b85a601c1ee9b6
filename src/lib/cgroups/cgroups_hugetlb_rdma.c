/* hugepageLimits and rdma, whose files differ little between cgroup v1
 * and v2. */
#include <errno.h>
#include <stdio.h>

#include "cgroup_limits.h"

/* v1 hugetlb.2MB.limit_in_bytes, v2 hugetlb.2MB.max; and the reservation
 * limit beside it where the kernel has one (a mapping reserves its huge
 * pages before faulting them in), so the limit holds for both. */
int scute_cgroup_hugetlb(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			 struct scute_err *err)
{
	const char *suffix = d->v2 ? "max" : "limit_in_bytes";
	char file[64], rsvd[80];

	for (size_t i = 0; i < r->n_hugepages; i++) {
		const struct scute_hugepage_limit *h = &r->hugepages[i];
		snprintf(file, sizeof(file), "hugetlb.%s.%s", h->page_size, suffix);
		snprintf(rsvd, sizeof(rsvd), "hugetlb.%s.rsvd.%s", h->page_size, suffix);
		if (!scute_cgroup_file_exists(d, file))
			return scute_err_set(err, ENOTSUP,
					     "linux.resources.hugepageLimits[%zu]."
					     "pageSize: \"%s\" is not a huge page "
					     "size of this host",
					     i, h->page_size);
		if (scute_cgroup_write(d, file, err, "%llu", (unsigned long long)h->limit) < 0 ||
		    (scute_cgroup_file_exists(d, rsvd) &&
		     scute_cgroup_write(d, rsvd, err, "%llu", (unsigned long long)h->limit) < 0))
			return scute_err_prefix(err, "linux.resources.hugepageLimits[%zu]", i);
	}
	return 0;
}

/* rdma.max: "mlx5_1 hca_handle=3 hca_object=max", one device a write. */
int scute_cgroup_rdma(const struct scute_cgroup_dir *d, const struct scute_resources *r,
		      struct scute_err *err)
{
	for (size_t i = 0; i < r->n_rdma; i++) {
		const struct scute_rdma_limit *l = &r->rdma[i];
		char handles[16] = "max", objects[16] = "max";
		if (l->has_handles)
			snprintf(handles, sizeof(handles), "%u", l->handles);
		if (l->has_objects)
			snprintf(objects, sizeof(objects), "%u", l->objects);
		if (scute_cgroup_write(d, "rdma.max", err, "%s hca_handle=%s hca_object=%s",
				       l->name, handles, objects) < 0)
			return scute_err_prefix(err,
						"linux.resources.rdma.%s (is it an RDMA "
						"device of this host?)",
						l->name);
	}
	return 0;
}
