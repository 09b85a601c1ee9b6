#include "namespaces.h"

#include <dirent.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <signal.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "values.h"

/* O_NONBLOCK: a FIFO (or a device) named as a namespace must fail setns,
 * not block the open forever. */
int scute_ns_join(enum scute_ns_type type, const char *path, struct scute_err *err)
{
	auto_fd int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return scute_err_sys(err, "linux.namespaces: open %s", path);
	if (setns(fd, scute_ns_clone_flag(type)) < 0)
		return scute_err_sys(err, "linux.namespaces: join %s namespace %s",
				     scute_ns_name(type), path);
	return 0;
}

/* The mount namespace behind `fd` is the runtime's own or the host's (that
 * of pid 1, seen through the runtime's procfs handle): a runtime started in
 * a mount namespace of its own (a service's private one, a nested engine)
 * would otherwise join the host's, make its whole tree a slave and
 * pivot_root in it, moving every host process rooted at its / into the
 * container's root. */
static int refuse_host_mountns(int fd, int procfd, const char *path, struct scute_err *err)
{
	struct stat st, own, host;

	if (fstat(fd, &st) < 0 || stat("/proc/self/ns/mnt", &own) < 0)
		return scute_err_sys(err, "linux.namespaces: %s", path);
	/* A pid 1 the runtime may not inspect (EACCES: ptrace rules, as for
	 * an init of a parent sandbox) is one whose namespace it cannot open
	 * through /proc either; nothing to compare then. */
	if (fstatat(procfd, "1/ns/mnt", &host, 0) < 0) {
		if (errno != EACCES && errno != EPERM)
			return scute_err_sys(err, "linux.namespaces: %s", path);
		host = own;
	}
	if (st.st_dev == own.st_dev && st.st_ino == own.st_ino)
		return scute_err_set(err, EINVAL,
				     "linux.namespaces: mount namespace %s is the runtime's own; "
				     "leave the mount namespace out of the config to share it",
				     path);
	if (st.st_dev == host.st_dev && st.st_ino == host.st_ino)
		return scute_err_set(
			err, EINVAL,
			"linux.namespaces: mount namespace %s is the host's (pid 1's): "
			"setting a container up there would pivot the host's root",
			path);
	return 0;
}

/* The mount namespace behind `fd` belongs to the user namespace the init is
 * in (the container's). One owned by another (a rootless container's, a
 * user's) could have its mounts changed under the container by whoever holds
 * that user namespace: files planted in a rootful container's view. */
static int refuse_foreign_owner(int fd, const char *path, struct scute_err *err)
{
	struct stat owner, own;
	auto_fd int ufd = ioctl(fd, NS_GET_USERNS);

	if (ufd < 0 || fstat(ufd, &owner) < 0 || stat("/proc/self/ns/user", &own) < 0)
		return scute_err_sys(err, "linux.namespaces: the owner of %s", path);
	if (owner.st_dev != own.st_dev || owner.st_ino != own.st_ino)
		return scute_err_set(err, EPERM,
				     "linux.namespaces: mount namespace %s belongs to another user "
				     "namespace than the container's: its owner could change the "
				     "container's mounts",
				     path);
	return 0;
}

/* A mount namespace by path, for the init; the runtime's own and the
 * host's are refused, and one of another user namespace. The check and the join use one fd, so the path
 * cannot change between them. */
int scute_ns_join_mount(int procfd, const char *path, struct scute_err *err)
{
	auto_fd int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return scute_err_sys(err, "linux.namespaces: open %s", path);
	if (refuse_host_mountns(fd, procfd, path, err) < 0 ||
	    refuse_foreign_owner(fd, path, err) < 0)
		return -1;
	if (setns(fd, CLONE_NEWNS) < 0)
		return scute_err_sys(err, "linux.namespaces: join mount namespace %s", path);
	return 0;
}

/* The runtime's own namespace of this type, as /proc/self/ns names it. */
static const char *const proc_names[SCUTE_NS_COUNT] = {
	[SCUTE_NS_PID] = "pid",	      [SCUTE_NS_NET] = "net",	[SCUTE_NS_MNT] = "mnt",
	[SCUTE_NS_IPC] = "ipc",	      [SCUTE_NS_UTS] = "uts",	[SCUTE_NS_USER] = "user",
	[SCUTE_NS_CGROUP] = "cgroup", [SCUTE_NS_TIME] = "time",
};

static bool is_own_ns(enum scute_ns_type type, const char *path)
{
	char own[64];
	struct stat a, b;

	snprintf(own, sizeof(own), "/proc/self/ns/%s", proc_names[type]);
	return stat(own, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

void scute_ns_warn_shared(const struct scute_spec *spec)
{
	static const enum scute_ns_type isolating[] = {
		SCUTE_NS_MNT, SCUTE_NS_PID, SCUTE_NS_NET,
		SCUTE_NS_IPC, SCUTE_NS_UTS, SCUTE_NS_CGROUP
	};

	for (size_t i = 0; i < sizeof(isolating) / sizeof(isolating[0]); i++) {
		enum scute_ns_type t = isolating[i];
		if (!spec->ns[t].present)
			scute_warn("linux.namespaces: no %s namespace: the container shares the "
				   "runtime's (host's) %s namespace",
				   scute_ns_name(t), scute_ns_name(t));
		else if (spec->ns[t].path && is_own_ns(t, spec->ns[t].path))
			scute_warn("linux.namespaces: %s namespace %s is the runtime's own: the "
				   "container shares the host's",
				   scute_ns_name(t), spec->ns[t].path);
	}
}

int scute_ns_enter_root_of(int procfd, int pidfd, pid_t pid, struct scute_err *err)
{
	char path[32];
	auto_fd int fd = -1;

	snprintf(path, sizeof(path), "%d/root", (int)pid);
	fd = openat(procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return scute_err_sys(err, "open the container's root");
	/* Still the init the pidfd names: the pid was not reused meanwhile. */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		return scute_err_sys(err, "the container's init");
	if (fchdir(fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return scute_err_sys(err, "enter the container's root");
	return 0;
}

/* Whether the process PID (below procfd) is confined and could lift that
 * by tracing: CAP_SYS_PTRACE in its bounding set, but a bounding set short
 * of `ours` or a seccomp filter. (One as free as the runtime gains
 * nothing from the init.) */
static bool confined_tracer(int procfd, const char *pid, unsigned long long ours)
{
	char path[64], line[256];
	uint64_t bnd = 0;
	int64_t filtered = 0;
	auto_fclose FILE *f = NULL;

	snprintf(path, sizeof(path), "%s/status", pid);
	{
		auto_fd int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && (f = fdopen(fd, "r")))
			(void)scute_take_fd(&fd); /* the stream owns it */
	}
	/* A field that does not parse counts as 0: no CAP_SYS_PTRACE, not
	 * filtered, as strtoull read it before. */
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "CapBnd:", 7) &&
		    !scute_parse_line_hex64(line + 7 + strspn(line + 7, " \t"), &bnd))
			bnd = 0;
		else if (!strncmp(line, "Seccomp:", 8) &&
			 !scute_parse_line_u63(line + 8 + strspn(line + 8, " \t"), INT64_MAX,
					       &filtered))
			filtered = 0;
	}
	return (bnd >> CAP_SYS_PTRACE & 1) && ((ours & ~bnd) || filtered);
}

/* Whether /proc/PID/ns/NAME (below procfd) is the namespace st names. */
static bool ns_is(int procfd, const char *pid, const char *name, const struct stat *st)
{
	char path[64];
	struct stat other;

	snprintf(path, sizeof(path), "%s/ns/%s", pid, name);
	return fstatat(procfd, path, &other, 0) == 0 && other.st_dev == st->st_dev &&
	       other.st_ino == st->st_ino;
}

int scute_ns_pid_check_tracers(int procfd, int nsfd, const char *path, struct scute_err *err)
{
	struct stat ns, user;
	unsigned long long ours = 0;
	struct dirent *e;
	int rc = 0;
	auto_fd int dfd = -1;
	auto_closedir DIR *d = NULL;

	for (unsigned long cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			ours |= 1ULL << cap;

	if (fstat(nsfd, &ns) < 0 || fstatat(procfd, "self/ns/user", &user, 0) < 0)
		return scute_err_sys(err, "linux.namespaces: pid namespace %s", path);
	dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(d = fdopendir(dfd)))
		return scute_err_sys(err, "linux.namespaces: list the processes of %s", path);
	(void)scute_take_fd(&dfd); /* the stream owns it */
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    !ns_is(procfd, e->d_name, "pid", &ns))
			continue;
		/* A confined process of the runtime's user namespace that may
		 * gain CAP_SYS_PTRACE there reaches the init while it holds
		 * the runtime's privileges and sees the host's root. */
		if (confined_tracer(procfd, e->d_name, ours) &&
		    ns_is(procfd, e->d_name, "user", &user))
			rc = scute_err_set(err, EPERM,
					   "config.json: linux.namespaces: pid namespace %s: "
					   "process %s in it holds CAP_SYS_PTRACE in the "
					   "runtime's user namespace; it could trace the "
					   "container's init during setup",
					   path, e->d_name);
	}
	return rc;
}
