#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "deadline.h"

int scute_process_rlimits(const struct scute_process *p, struct scute_err *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct rlimit rl = { .rlim_cur = p->rlimits[i].soft,
				     .rlim_max = p->rlimits[i].hard };
		if (setrlimit(p->rlimits[i].resource, &rl) < 0)
			return scute_err_sys(err, "process.rlimits[%zu]: set soft %llu hard %llu",
					     i, (unsigned long long)rl.rlim_cur,
					     (unsigned long long)rl.rlim_max);
	}
	return 0;
}

int scute_process_switch_user(const struct scute_process *p, bool in_userns, struct scute_err *err)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return scute_err_sys(err, "keep capabilities across the user switch");
	if (setgroups(p->n_additional_gids, p->additional_gids) < 0) {
		/* A user namespace whose setgroups is denied can only have none. */
		if (!(in_userns && errno == EPERM && p->n_additional_gids == 0))
			return scute_err_sys(err, "process.user.additionalGids: setgroups");
	}
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return scute_err_sys(err, "process.user.gid: set gid %u", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return scute_err_sys(err, "process.user.uid: set uid %u", p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return scute_err_sys(err, "reset keep-capabilities");
	return 0;
}

static const char *env_path(const struct scute_process *p)
{
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], "PATH=", 5) == 0)
			return p->env[i] + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static bool is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int scute_process_find_program(const struct scute_process *p, char *buf, size_t len,
			       struct scute_err *err)
{
	const char *prog = p->args[0], *dirs = env_path(p);

	if (strchr(prog, '/')) {
		snprintf(buf, len, "%s", prog);
		return 0;
	}
	while (*dirs) {
		size_t n = strcspn(dirs, ":");
		snprintf(buf, len, "%.*s%s%s", (int)n, n ? dirs : ".", "/", prog);
		if (is_executable_file(buf))
			return 0;
		dirs += n + (dirs[n] == ':');
	}
	return scute_err_set(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", prog);
}

/* The state letter of /proc/PID/stat (after the last ')'), or 0. */
static char state_of(pid_t pid)
{
	char path[64], buf[512], *end;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	{
		auto_fd int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
		n = read(fd, buf, sizeof(buf) - 1);
	}
	buf[n > 0 ? n : 0] = '\0';
	end = strrchr(buf, ')');
	if (!end || end[1] != ' ')
		return 0;
	return end[2];
}

/* The idle check of the wait: counts the steps in a row in which the
 * process was stopped or traced, and gives up at five. */
struct stop_watch {
	pid_t pid;
	int stopped;
};

static bool stopped_too_long(void *arg)
{
	struct stop_watch *w = arg;
	char s = state_of(w->pid);

	w->stopped = (s == 'T' || s == 't') ? w->stopped + 1 : 0;
	return w->stopped >= 5;
}

int scute_wait_unless_stopped_for(int fd, pid_t pid, const char *what, int limit_ms,
				  struct scute_err *err)
{
	struct stop_watch w = { .pid = pid };
	int64_t deadline = limit_ms > 0 ? scute_now_ms() + limit_ms : 0;
	int rc = scute_wait_readable(fd, deadline, 200, stopped_too_long, &w, what, err);

	if (rc < 0)
		return -1;
	if (rc == SCUTE_WAIT_GAVE_UP)
		return scute_err_set(err, ETIMEDOUT,
				     "%s: the container's process %d is stopped or traced", what,
				     pid);
	if (rc == SCUTE_WAIT_DEADLINE)
		return scute_err_set(err, ETIMEDOUT, "%s: nothing from process %d within %d s",
				     what, pid, limit_ms / 1000);
	return 0;
}

int scute_wait_unless_stopped(int fd, pid_t pid, const char *what, struct scute_err *err)
{
	return scute_wait_unless_stopped_for(fd, pid, what, 0, err);
}
