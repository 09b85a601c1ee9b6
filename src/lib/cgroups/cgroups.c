#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsutil.h"
#include "cgroup_limits.h"
#include "log.h"
#include "values.h"

struct hierarchy {
	char mountpoint[PATH_MAX];
	char controllers[128];
	bool v2;
};

/* The v1 controllers (or "name=" of a named hierarchy) in super options. */
static void v1_controllers(const char *superopts, char *out, size_t len)
{
	static const char *const known[] = { "cpu",	"cpuacct",  "cpuset",  "memory",
					     "devices", "freezer",  "blkio",   "pids",
					     "net_cls", "net_prio", "hugetlb", "perf_event",
					     "rdma",	"misc" };
	char opts[512], *save = NULL;

	out[0] = '\0';
	snprintf(opts, sizeof(opts), "%s", superopts);
	for (char *tok = strtok_r(opts, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool keep = strncmp(tok, "name=", 5) == 0;
		for (size_t i = 0; !keep && i < sizeof(known) / sizeof(known[0]); i++)
			keep = strcmp(tok, known[i]) == 0;
		if (keep)
			snprintf(out + strlen(out), len - strlen(out), "%s%s", *out ? "," : "",
				 tok);
	}
}

/* The controllers the cgroup2 root offers (`file` cgroup.controllers) or
 * hands down (cgroup.subtree_control), as a comma list like v1's. */
static void v2_controllers(const char *mountpoint, const char *file, char *out, size_t len)
{
	char path[PATH_MAX + 32];
	struct scute_err ignored;

	snprintf(path, sizeof(path), "%s/%s", mountpoint, file);
	if (scute_read_at(AT_FDCWD, path, out, len, &ignored) < 0)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	for (char *p = out; *p; p++)
		if (*p == ' ')
			*p = ',';
}

/* On a hybrid host the cgroup2 root belongs to the host's init: scute uses
 * there only the controllers the root already hands down, and never writes
 * the root's cgroup.subtree_control. */
static void restrict_hybrid(struct hierarchy *h, int n)
{
	bool v1 = false;

	for (int i = 0; i < n; i++)
		v1 |= !h[i].v2;
	for (int i = 0; v1 && i < n; i++)
		if (h[i].v2)
			v2_controllers(h[i].mountpoint, "cgroup.subtree_control", h[i].controllers,
				       sizeof(h[i].controllers));
}

static int read_hierarchies(struct hierarchy *h, int max, struct scute_err *err)
{
	char line[4096], mnt[PATH_MAX], fstype[64], superopts[512];
	auto_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
	int n = 0;

	if (!f)
		return scute_err_sys(err, "open /proc/self/mountinfo");
	while (n < max && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s %*s %511s", fstype, superopts) != 2)
			continue;
		if (strcmp(fstype, "cgroup2") == 0) {
			h[n] = (struct hierarchy){ .v2 = true };
			v2_controllers(mnt, "cgroup.controllers", h[n].controllers,
				       sizeof(h[n].controllers));
		} else if (strcmp(fstype, "cgroup") == 0) {
			h[n] = (struct hierarchy){ .v2 = false };
			v1_controllers(superopts, h[n].controllers, sizeof(h[n].controllers));
		} else {
			continue;
		}
		snprintf(h[n].mountpoint, sizeof(h[n].mountpoint), "%s", mnt);
		n++;
	}
	restrict_hybrid(h, n);
	return n;
}

/* The runtime's own cgroup in the hierarchy with these controllers. */
static void own_cgroup(const struct hierarchy *h, char *out, size_t len)
{
	char line[4096];
	auto_fclose FILE *f = fopen("/proc/self/cgroup", "re");

	snprintf(out, len, "/");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = '\0';
		*c2 = '\0';
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		/* h is one of the n entries read_hierarchies() filled; clang's
		 * analyzer cannot follow that count. */
		/* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch) */
		if ((h->v2 && strcmp(line, "0") == 0 && c1[1] == '\0') ||
		    (!h->v2 && c1[1] && strcmp(c1 + 1, h->controllers) == 0)) {
			snprintf(out, len, "%s", c2 + 1);
			break;
		}
	}
}

int scute_cgroup_resolve(const char *cgroups_path, const char *id, struct scute_cgroup *cg,
			 struct scute_err *err)
{
	struct hierarchy h[SCUTE_CGROUP_MAX_HIERARCHIES];
	char own[PATH_MAX], rel[PATH_MAX], *full;
	int n;

	memset(cg, 0, sizeof(*cg));
	if (cgroups_path && strstr(cgroups_path, ".."))
		return scute_err_set(err, EINVAL,
				     "config.json: linux.cgroupsPath: \"%s\" "
				     "must not contain \"..\"",
				     cgroups_path);
	if (cgroups_path && strchr(cgroups_path, ':'))
		return scute_err_set(err, EINVAL,
				     "config.json: linux.cgroupsPath: \"%s\" is a systemd slice "
				     "path; systemd cgroups are not supported (no systemd runs)",
				     cgroups_path);
	n = read_hierarchies(h, SCUTE_CGROUP_MAX_HIERARCHIES, err);
	if (n < 0)
		return -1;
	cg->placed = cgroups_path && *cgroups_path;
	if (n == 0)
		return scute_err_set(err, ENOENT, "no cgroup hierarchy is mounted");
	for (int i = 0; i < n; i++) {
		if (!cgroups_path || !*cgroups_path) {
			snprintf(rel, sizeof(rel), "/%s", id); /* as runc and crun */
		} else if (cgroups_path[0] == '/') {
			snprintf(rel, sizeof(rel), "%s", cgroups_path);
		} else {
			own_cgroup(&h[i], own, sizeof(own));
			snprintf(rel, sizeof(rel), "%s/%s", strcmp(own, "/") ? own : "",
				 cgroups_path);
		}
		if (asprintf(&full, "%s%s", h[i].mountpoint, rel) < 0)
			return scute_err_set(err, ENOMEM, "out of memory");
		cg->dirs[cg->n].path = full;
		cg->dirs[cg->n].controllers = strdup(h[i].controllers);
		cg->dirs[cg->n].v2 = h[i].v2;
		cg->n++;
	}
	return 0;
}

/* A new cpuset cgroup starts with no cpus and mems: copy the parent's. */
static int cpuset_inherit(const char *dir, struct scute_err *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char parent[PATH_MAX], value[4096], path[PATH_MAX + 32];
	struct scute_err ignored;

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", parent, files[i]);
		if (scute_read_at(AT_FDCWD, path, value, sizeof(value), &ignored) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (scute_write_at(AT_FDCWD, path, value, err) < 0)
			return -1;
	}
	return 0;
}

/* mkdir -p, remembering the first directory we made so failure can undo;
 * the leaf is tried first, as its parents usually exist. */
static int make_dirs(const struct scute_cgroup_dir *d, const char *path, char **first_made,
		     struct scute_err *err)
{
	char parent[PATH_MAX];
	char *slash;

	if (mkdir(path, 0755) == 0) {
		if (!*first_made)
			*first_made = strdup(path);
		if (scute_cgroup_has(d, "cpuset") && cpuset_inherit(path, err) < 0)
			return -1;
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return scute_err_sys(err, "create cgroup %s", path);
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return scute_err_sys(err, "create cgroup %s", path);
	*slash = '\0';
	if (make_dirs(d, parent, first_made, err) < 0)
		return -1;
	return make_dirs(d, path, first_made, err);
}

int scute_cgroup_make_dir(const struct scute_cgroup_dir *d, char **first_made,
			  struct scute_err *err)
{
	return make_dirs(d, d->path, first_made, err);
}

/* Remove `path` and its parents up to and including `stop`. */
void scute_cgroup_remove_up_to(const char *path, const char *stop)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	while (strlen(buf) >= strlen(stop)) {
		if (rmdir(buf) < 0)
			return;
		char *slash = strrchr(buf, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
}

/* Whether a v1 hierarchy holds the devices controller; else the device
 * rules go to cgroup2 as an eBPF program. */
static bool v1_devices(const struct scute_cgroup *cg)
{
	for (int k = 0; k < cg->n; k++)
		if (!cg->dirs[k].v2 && scute_cgroup_live(&cg->dirs[k]) &&
		    scute_cgroup_has(&cg->dirs[k], "devices"))
			return true;
	return false;
}

int scute_cgroup_apply(const struct scute_cgroup *cg, int i, const struct scute_resources *res,
		       struct scute_err *err)
{
	const struct scute_cgroup_dir *d = &cg->dirs[i];

	return d->v2 ? scute_cgroup_v2_apply(d, res, !v1_devices(cg), err)
		     : scute_cgroup_v1_apply(d, res, err);
}

bool scute_cgroup_dir_populated(const struct scute_cgroup_dir *d)
{
	char path[PATH_MAX + 32], buf[64];
	struct scute_err ignored;

	snprintf(path, sizeof(path), "%s/cgroup.procs", d->path);
	return scute_read_at(AT_FDCWD, path, buf, sizeof(buf), &ignored) > 0;
}

/* Whether one of the hierarchies holds the controller (v1 name, v2 name;
 * NULL where that version has none). */
static bool has_controller(const struct scute_cgroup *cg, const char *v1, const char *v2)
{
	for (int k = 0; k < cg->n; k++) {
		const char *name = cg->dirs[k].v2 ? v2 : v1;
		if (name && (!*name || scute_cgroup_has(&cg->dirs[k], name)))
			return true;
	}
	return false;
}

struct need {
	bool wanted;
	const char *field, *v1, *v2; /* v2 "": any cgroup2 directory */
};

/* What each requested limit needs; returns how many entries. */
static size_t needs(const struct scute_resources *r, struct need *out)
{
	const struct need t[] = {
		{ r->has_memory_limit || r->has_memory_reservation || r->has_memory_swap ||
			  r->has_memory_swappiness || r->disable_oom_killer || r->has_kernel_tcp,
		  "memory", "memory", "memory" },
		{ r->has_cpu_shares || r->has_cpu_quota || r->has_cpu_period || r->has_cpu_burst ||
			  r->has_cpu_rt_runtime || r->has_cpu_rt_period || r->has_cpu_idle,
		  "cpu", "cpu", "cpu" },
		{ r->cpus || r->mems, "cpu.cpus/mems", "cpuset", "cpuset" },
		{ r->has_pids_limit, "pids", "pids", "pids" },
		{ r->has_blkio_weight || r->has_blkio_leaf_weight || r->n_throttles ||
			  r->n_weight_devices,
		  "blockIO", "blkio", "io" },
		{ r->n_hugepages, "hugepageLimits", "hugetlb", "hugetlb" },
		{ r->has_net_class_id, "network.classID", "net_cls", NULL },
		{ r->n_net_priorities, "network.priorities", "net_prio", NULL },
		{ r->n_rdma, "rdma", "rdma", "rdma" },
		{ r->n_devices, "devices", "devices", "" },
		{ r->n_unified, "unified", NULL, "" },
	};

	memcpy(out, t, sizeof(t));
	return sizeof(t) / sizeof(t[0]);
}

/* Whether the config asks for any limit at all. */
static bool any_limit(const struct scute_resources *r)
{
	struct need need[16];
	size_t n = needs(r, need);

	for (size_t i = 0; i < n; i++)
		if (need[i].wanted)
			return true;
	return false;
}

/* Every requested limit needs a hierarchy that can hold it: a limit that
 * cannot apply is an error naming it, never silently dropped. */
static int check_controllers(const struct scute_cgroup *cg, const struct scute_resources *r,
			     struct scute_err *err)
{
	struct need need[16];
	size_t n = needs(r, need);
	bool hybrid = has_controller(cg, "", NULL) && has_controller(cg, NULL, "");

	for (size_t i = 0; i < n; i++) {
		if (!need[i].wanted || has_controller(cg, need[i].v1, need[i].v2))
			continue;
		if (!need[i].v1)
			return scute_err_set(err, ENOTSUP,
					     "linux.resources.%s: this host has no "
					     "cgroup v2 hierarchy",
					     need[i].field);
		return scute_err_set(err, ENOTSUP,
				     "linux.resources.%s: the %s controller is not available "
				     "on this host%s",
				     need[i].field, need[i].v1,
				     !need[i].v2 ? " (it exists only as a cgroup v1 hierarchy)"
				     : hybrid	 ? " (on this hybrid host, a cgroup2 controller "
						   "counts only when the root's "
						   "cgroup.subtree_control already enables it)"
						 : "");
	}
	return 0;
}

/* Rootless, a user may not write the host's cgroups: without limits to
 * apply the container runs without cgroups of its own, with a warning;
 * with limits that is an error (they must not silently not apply). */
static int rootless_without_cgroups(struct scute_cgroup *cg, const struct scute_resources *r,
				    struct scute_err *err)
{
	if (geteuid() == 0 || (err->code != EACCES && err->code != EPERM && err->code != EROFS))
		return -1;
	if (any_limit(r))
		return scute_err_prefix(err,
					"linux.resources: uid %u cannot create cgroups here, "
					"so the limits cannot apply",
					geteuid());
	scute_warn("cgroups skipped: uid %u cannot create them (%s); the container has no "
		   "cgroup of its own",
		   geteuid(), err->msg);
	scute_cgroup_free(cg);
	return 0;
}

/* Whether a v1 hierarchy needs the container's own directory: a limit
 * written there, or one of what every container must have. */
static bool v1_needed(const struct scute_cgroup_dir *d, const struct scute_resources *r,
		      bool v2_freezes)
{
	/* The device rules are a defence, applied with or without a config. */
	if (scute_cgroup_has(d, "devices"))
		return true;
	/* pause, and kill --all's freeze, when cgroup2 cannot freeze. */
	if (!v2_freezes && scute_cgroup_has(d, "freezer"))
		return true;
	/* A directory that exists already is joined: it costs no mkdir, and
	 * whoever made it counts on the container being in it. */
	if (access(d->path, F_OK) == 0)
		return true;
	return scute_cgroup_limit_needs(d, r, &(const char *){ NULL });
}

/* Making a directory in each of the host's v1 hierarchies (11 on a
 * typical hybrid host) cost about 1 ms per start, most of it for
 * hierarchies no limit uses. Those are left absent: the container stays in
 * the runtime's cgroup there, and `update` makes the directory when a
 * limit arrives (cgroups_grow.c). If nothing else is needed, the first
 * hierarchy is kept so that ps and kill --all have a cgroup.procs.
 *
 * Only for the default placement (no linux.cgroupsPath): an engine that
 * gives a path counts on the container being below it everywhere (a pod
 * cgroup's limits, its own accounting and OOM watch), so it gets every
 * hierarchy. */
static void leave_out_unneeded(struct scute_cgroup *cg, const struct scute_resources *r)
{
	char probe[PATH_MAX + 32];
	bool v2_freezes = false, any = false;
	int first = -1;

	if (cg->placed)
		return;

	for (int i = 0; i < cg->n; i++) {
		if (!cg->dirs[i].v2 || cg->dirs[i].absent)
			continue;
		any = true;
		snprintf(probe, sizeof(probe), "%s/cgroup.freeze", cg->dirs[i].path);
		v2_freezes |= access(probe, W_OK) == 0;
	}
	for (int i = 0; i < cg->n; i++) {
		if (cg->dirs[i].v2)
			continue;
		if (first < 0)
			first = i;
		cg->dirs[i].absent = !v1_needed(&cg->dirs[i], r, v2_freezes);
		any |= !cg->dirs[i].absent;
	}
	if (!any && first >= 0)
		cg->dirs[first].absent = false;
}

static int make_one(struct scute_cgroup *cg, int i, const struct scute_resources *res, char **made,
		    struct scute_err *err)
{
	struct scute_cgroup_dir *d = &cg->dirs[i];
	int rc = make_dirs(d, d->path, made, err);

	d->created = *made != NULL;
	if (rc == 0 && !d->created && scute_cgroup_dir_populated(d))
		rc = scute_err_set(err, EBUSY, "cgroup %s already holds processes", d->path);
	return rc < 0 ? -1 : scute_cgroup_apply(cg, i, res, err);
}

int scute_cgroup_create(struct scute_cgroup *cg, const struct scute_resources *res,
			struct scute_err *err)
{
	char *made[SCUTE_CGROUP_MAX_HIERARCHIES] = { 0 };
	int i, rc = 0;

	if (check_controllers(cg, res, err) < 0)
		return -1;
	/* cgroup2 first: whether it can freeze decides on the v1 freezer. */
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		if (pass == 1)
			leave_out_unneeded(cg, res);
		for (i = 0; i < cg->n && rc == 0; i++)
			if (cg->dirs[i].v2 == (pass == 0) && scute_cgroup_live(&cg->dirs[i]))
				rc = make_one(cg, i, res, &made[i], err);
	}
	for (i = 0; i < cg->n; i++) {
		if (rc < 0 && made[i])
			scute_cgroup_remove_up_to(cg->dirs[i].path, made[i]);
		free(made[i]);
	}
	return rc < 0 ? rootless_without_cgroups(cg, res, err) : 0;
}

bool scute_cgroup_limit_needs(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			      const char **field)
{
	struct need need[16];
	size_t n = needs(r, need);

	for (size_t i = 0; !d->v2 && i < n; i++) {
		if (!need[i].wanted || !need[i].v1)
			continue;
		/* cpuacct goes with a cpu limit where the two are mounted apart:
		 * its usage is what `events --stats` and a quota's users read. */
		if (scute_cgroup_has(d, need[i].v1) ||
		    (strcmp(need[i].v1, "cpu") == 0 && scute_cgroup_has(d, "cpuacct"))) {
			*field = need[i].field;
			return true;
		}
	}
	return false;
}

int scute_cgroup_update(struct scute_cgroup *cg, const struct scute_resources *res, bool *grown,
			struct scute_err *err)
{
	const char *field;

	*grown = false;
	if (check_controllers(cg, res, err) < 0)
		return -1;
	for (int i = 0; i < cg->n; i++) {
		if (cg->dirs[i].absent) {
			if (!scute_cgroup_limit_needs(&cg->dirs[i], res, &field))
				continue;
			int rc = scute_cgroup_grow(cg, i, res, err);
			*grown |= !cg->dirs[i].absent;
			if (rc < 0)
				return scute_err_prefix(err, "linux.resources.%s", field);
			continue;
		}
		if (scute_cgroup_apply(cg, i, res, err) < 0)
			return -1;
	}
	return 0;
}

int scute_cgroup_enter(const struct scute_cgroup *cg, pid_t pid, bool only_v2,
		       struct scute_err *err)
{
	char path[PATH_MAX + 32], value[32];

	snprintf(value, sizeof(value), "%d", pid);
	for (int i = 0; i < cg->n; i++) {
		if ((only_v2 && !cg->dirs[i].v2) || !scute_cgroup_live(&cg->dirs[i]))
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dirs[i].path);
		if (scute_write_at(AT_FDCWD, path, value, err) < 0)
			return -1;
	}
	return 0;
}

int scute_cgroup_open_fds(const struct scute_cgroup *cg, struct scute_cgroup_fds *fds,
			  struct scute_err *err)
{
	char path[PATH_MAX + 32] = "";

	fds->n_tasks = 0;
	fds->v2_dir = -1;
	for (int i = 0; i < cg->n; i++) {
		if (!scute_cgroup_live(&cg->dirs[i]))
			continue;
		if (cg->dirs[i].v2) {
			snprintf(path, sizeof(path), "%s", cg->dirs[i].path);
			fds->v2_dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (fds->v2_dir < 0)
				goto fail;
			continue;
		}
		snprintf(path, sizeof(path), "%s/tasks", cg->dirs[i].path);
		fds->tasks[fds->n_tasks] = open(path, O_WRONLY | O_CLOEXEC);
		if (fds->tasks[fds->n_tasks] < 0)
			goto fail;
		fds->n_tasks++;
	}
	return 0;
fail:
	scute_err_sys(err, "open cgroup %s", path);
	scute_cgroup_close_fds(fds);
	return -1;
}

void scute_cgroup_close_fds(struct scute_cgroup_fds *fds)
{
	for (int i = 0; i < fds->n_tasks; i++)
		close(fds->tasks[i]);
	fds->n_tasks = 0;
	if (fds->v2_dir >= 0)
		close(fds->v2_dir);
	fds->v2_dir = -1;
}

int scute_cgroup_join_self(const int *tasks_fds, int n, struct scute_err *err)
{
	for (int i = 0; i < n; i++) {
		if (write(tasks_fds[i], "0", 1) != 1)
			return scute_err_sys(err, "join the container's cgroup");
		close(tasks_fds[i]);
	}
	return 0;
}

const struct scute_cgroup_dir *scute_cgroup_procs_dir(const struct scute_cgroup *cg)
{
	/* Prefer cgroup2: cgroup.kill and populated-ness are exact there. */
	for (int i = 0; i < cg->n; i++)
		if (cg->dirs[i].v2 && scute_cgroup_live(&cg->dirs[i]))
			return &cg->dirs[i];
	for (int i = 0; i < cg->n; i++)
		if (scute_cgroup_live(&cg->dirs[i]))
			return &cg->dirs[i];
	return NULL;
}

int scute_cgroup_signal_all(const struct scute_cgroup *cg, int sig, struct scute_err *err)
{
	const struct scute_cgroup_dir *d = scute_cgroup_procs_dir(cg);
	char path[PATH_MAX + 32], line[32];
	auto_fclose FILE *f = NULL;

	if (!d)
		return 0;
	if (sig == SIGKILL && d->v2) {
		snprintf(path, sizeof(path), "%s/cgroup.kill", d->path);
		if (access(path, W_OK) == 0)
			return scute_write_at(AT_FDCWD, path, "1", err);
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", d->path);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : scute_err_sys(err, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		int64_t pid;
		if (scute_parse_line_u63(line, INT32_MAX, &pid) && pid > 0 &&
		    kill((pid_t)pid, sig) < 0 && errno != ESRCH)
			scute_debug("kill %lld: %s", (long long)pid, strerror(errno));
	}
	return 0;
}

/* The file that freezes the cgroup and the text its reader sees when done. */
static int freezer_of(const struct scute_cgroup *cg, bool frozen, char *path, size_t len,
		      const char **value, char *done_path, const char **done)
{
	for (int i = 0; i < cg->n; i++) {
		const struct scute_cgroup_dir *d = &cg->dirs[i];
		if (!scute_cgroup_live(d))
			continue;
		if (d->v2 && access(d->path, F_OK) == 0) {
			char probe[PATH_MAX + 32];
			snprintf(probe, sizeof(probe), "%s/cgroup.freeze", d->path);
			if (access(probe, W_OK) != 0)
				continue;
			snprintf(path, len, "%s", probe);
			snprintf(done_path, len, "%s/cgroup.events", d->path);
			*value = frozen ? "1" : "0";
			*done = frozen ? "frozen 1" : "frozen 0";
			return 0;
		}
		if (!d->v2 && scute_cgroup_has(d, "freezer")) {
			snprintf(path, len, "%s/freezer.state", d->path);
			snprintf(done_path, len, "%s/freezer.state", d->path);
			*value = frozen ? "FROZEN" : "THAWED";
			*done = *value;
			return 0;
		}
	}
	return -1;
}

int scute_cgroup_freeze(const struct scute_cgroup *cg, bool frozen, struct scute_err *err)
{
	char path[PATH_MAX + 32], done_path[PATH_MAX + 32], buf[512];
	struct timespec pause = { 0, 1000L * 1000 };
	const char *value, *done;

	if (freezer_of(cg, frozen, path, sizeof(path), &value, done_path, &done) < 0)
		return scute_err_set(err, ENOTSUP,
				     "no freezer: neither a v1 freezer hierarchy "
				     "nor cgroup.freeze (cgroup v2) is available");
	if (scute_write_at(AT_FDCWD, path, value, err) < 0)
		return -1;
	/* v1 passes through FREEZING; v2 reports "frozen 1" in cgroup.events. */
	for (int i = 0; i < 10000; i++) {
		if (scute_read_at(AT_FDCWD, done_path, buf, sizeof(buf), err) < 0)
			return -1;
		if (strstr(buf, done))
			return 0;
		nanosleep(&pause, NULL);
	}
	return scute_err_set(err, ETIMEDOUT, "%s: the cgroup did not reach %s", path, done);
}

int scute_cgroup_frozen(const struct scute_cgroup *cg, bool *frozen)
{
	char path[PATH_MAX + 32], done_path[PATH_MAX + 32], buf[512];
	const char *value, *done;
	struct scute_err ignored;

	if (freezer_of(cg, true, path, sizeof(path), &value, done_path, &done) < 0 ||
	    scute_read_at(AT_FDCWD, done_path, buf, sizeof(buf), &ignored) < 0)
		return -1;
	*frozen = strstr(buf, done) != NULL;
	return 0;
}

int scute_cgroup_pids(const struct scute_cgroup *cg, pid_t **pids, size_t *n, struct scute_err *err)
{
	const struct scute_cgroup_dir *d = scute_cgroup_procs_dir(cg);
	char path[PATH_MAX + 32], line[32];
	size_t cap = 16;
	auto_fclose FILE *f = NULL;

	*n = 0;
	*pids = malloc(cap * sizeof(pid_t));
	if (!*pids)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (!d)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", d->path);
	f = fopen(path, "re");
	if (!f)
		return scute_err_sys(err, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		int64_t pid;
		if (!scute_parse_line_u63(line, INT32_MAX, &pid) || pid <= 0)
			continue;
		if (*n == cap) {
			pid_t *grown = realloc(*pids, (cap *= 2) * sizeof(pid_t));
			if (!grown)
				return scute_err_set(err, ENOMEM, "out of memory");
			*pids = grown;
		}
		(*pids)[(*n)++] = (pid_t)pid;
	}
	return 0;
}

bool scute_cgroup_populated(const struct scute_cgroup *cg)
{
	const struct scute_cgroup_dir *d = scute_cgroup_procs_dir(cg);

	return d && scute_cgroup_dir_populated(d);
}

int scute_cgroup_destroy(const struct scute_cgroup *cg, struct scute_err *err)
{
	struct timespec pause = { 0, 2L * 1000 * 1000 };

	for (int i = 0; i < cg->n; i++) {
		const char *path = cg->dirs[i].path;
		int tries = 0;
		if (!cg->dirs[i].created || !scute_cgroup_live(&cg->dirs[i]))
			continue; /* joined, not ours to remove; or never made */
		while (rmdir(path) < 0 && errno == EBUSY && tries++ < 500)
			nanosleep(&pause, NULL);
		if (access(path, F_OK) == 0)
			return scute_err_sys(err, "remove cgroup %s", path);
	}
	return 0;
}

bool scute_cgroup_shown(const struct scute_cgroup *cg, const char *mountpoint)
{
	size_t n = strlen(mountpoint);

	for (int i = 0; cg && i < cg->n; i++)
		if (strncmp(cg->dirs[i].path, mountpoint, n) == 0 && cg->dirs[i].path[n] == '/')
			return scute_cgroup_live(&cg->dirs[i]);
	/* No cgroups of its own (rootless): as it always was. Otherwise a
	 * hierarchy the container has no directory in is not shown: its
	 * mount's root would be the runtime's cgroup there, the host's tree. */
	return !cg || cg->n == 0;
}

void scute_cgroup_free(struct scute_cgroup *cg)
{
	for (int i = 0; i < cg->n; i++) {
		free(cg->dirs[i].path);
		free(cg->dirs[i].controllers);
	}
	cg->n = 0;
}
