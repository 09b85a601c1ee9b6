/* What front ends may read about containers (scute.h): a container's OCI
 * state, every container of a root, and a container's processes. The
 * internal struct scute_state never leaves the library. */
#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "cgroups.h"
#include "cleanup.h"
#include "container.h"
#include "scute.h"
#include "state.h"
#include "state_root.h"

json_t *scute_container_state(const char *root, const char *id, struct scute_err *err)
{
	struct scute_state st;
	json_t *doc;

	if (scute_container_load(root, id, &st, err) < 0)
		return NULL;
	doc = scute_state_to_oci(&st);
	scute_state_free(&st);
	if (!doc)
		scute_err_set(err, ENOMEM, "container \"%s\": state document", id);
	return doc;
}

/* Dot names are the root's own (entries being made or removed), and the
 * filter cache lives beside the containers. */
static bool is_container_entry(const char *name)
{
	return name[0] != '.' && strcmp(name, "seccomp-cache") != 0;
}

int scute_container_list(const char *root, int (*fn)(json_t *state, void *arg), void *arg,
			 struct scute_err *err)
{
	auto_fd int rootfd = scute_state_root_open(root, false, err);
	auto_closedir DIR *d = NULL;
	struct dirent *e;
	int rc = 0;

	if (rootfd < 0)
		return err->code == ENOENT ? 0 : -1;
	d = fdopendir(rootfd);
	if (!d)
		return scute_err_sys(err, "read state directory %s", root);
	(void)scute_take_fd(&rootfd); /* the DIR owns it now */
	while (rc >= 0 && (e = readdir(d))) {
		struct scute_state st;
		struct scute_err skipped;
		json_t *doc;

		/* An unreadable state is not listed. */
		if (!is_container_entry(e->d_name) ||
		    scute_state_load_at(dirfd(d), e->d_name, &st, &skipped) < 0)
			continue;
		doc = scute_state_to_oci(&st);
		scute_state_free(&st);
		if (!doc)
			return scute_err_set(err, ENOMEM, "container \"%s\": state document",
					     e->d_name);
		rc = fn(doc, arg);
		json_decref(doc);
	}
	return rc < 0 ? -1 : 0;
}

int scute_container_pids(const char *root, const char *id, pid_t **pids, size_t *n,
			 struct scute_err *err)
{
	struct scute_state st;
	int rc;

	if (scute_container_load(root, id, &st, err) < 0)
		return -1;
	rc = scute_cgroup_pids(&st.cgroup, pids, n, err);
	scute_state_free(&st);
	return rc;
}
