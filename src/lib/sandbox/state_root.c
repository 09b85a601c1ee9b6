#include "state_root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "state.h"

#define MAX_LINKS 40

/* What is left to walk; a symlink's target is put in front of the rest. */
struct walk {
	const char *shown; /* the path as given, for messages */
	char todo[PATH_MAX];
	int fd; /* the directory reached so far (checked) */
	int links;
};

static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* A directory on the way: whoever may rename its entries could swap what
 * follows. The sticky bit limits that to the entries' own owners. */
static int check_on_the_way(int fd, const char *shown, const char *name, struct scute_err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return scute_err_sys(err, "state directory %s: %s", shown, name);
	if (!trusted_owner(st.st_uid))
		return scute_err_set(err, EPERM,
				     "state directory %s: %s is owned by uid %u, not by root or "
				     "uid %u",
				     shown, name, st.st_uid, geteuid());
	if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))
		return scute_err_set(err, EPERM,
				     "state directory %s: %s is writable by others (mode %o)",
				     shown, name, st.st_mode & 07777);
	return 0;
}

static int check_final(int fd, const char *shown, struct scute_err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return scute_err_sys(err, "state directory %s", shown);
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return scute_err_set(err, EPERM,
				     "state directory %s is not private to uid %u "
				     "(owner %u, mode %o)",
				     shown, geteuid(), st.st_uid, st.st_mode & 07777);
	return 0;
}

/* Put a symlink's target in front of what is left; an absolute one starts
 * again from "/". */
static int follow_link(struct walk *w, const char *name, const char *rest, struct scute_err *err)
{
	char target[PATH_MAX], next[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (++w->links > MAX_LINKS)
		return scute_err_set(err, ELOOP, "state directory %s: too many symlinks", w->shown);
	if (fstatat(w->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !trusted_owner(st.st_uid))
		return scute_err_set(err, EPERM,
				     "state directory %s: symlink %s is not owned by root or "
				     "uid %u",
				     w->shown, name, geteuid());
	n = readlinkat(w->fd, name, target, sizeof(target) - 1);
	if (n < 0)
		return scute_err_sys(err, "state directory %s: read symlink %s", w->shown, name);
	target[n] = '\0';
	n = snprintf(next, sizeof(next), "%s/%s", target, rest);
	if (n < 0 || (size_t)n >= sizeof(next))
		return scute_err_set(err, ENAMETOOLONG, "state directory %s: path too long",
				     w->shown);
	memcpy(w->todo, next, (size_t)n + 1);
	if (target[0] == '/') {
		int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return scute_err_sys(err, "open /");
		close(w->fd);
		w->fd = root;
	}
	return 0;
}

/* One step: NAME below w->fd, `last` when nothing follows it. */
static int step(struct walk *w, const char *name, const char *rest, bool last, bool create,
		struct scute_err *err)
{
	struct stat st;
	auto_fd int fd = -1;

	if (fstatat(w->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT && create &&
	    mkdirat(w->fd, name, 0700) < 0 && errno != EEXIST)
		return scute_err_sys(err, "state directory %s: create %s", w->shown, name);
	if (fstatat(w->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return scute_err_set(err, ENOENT, "state directory %s does not exist",
					     w->shown);
		return scute_err_sys(err, "state directory %s: %s", w->shown, name);
	}
	if (S_ISLNK(st.st_mode)) {
		if (last)
			return scute_err_set(err, ELOOP, "state directory %s is a symlink",
					     w->shown);
		return follow_link(w, name, rest, err);
	}
	fd = openat(w->fd, name, (last ? O_RDONLY : O_PATH) | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return scute_err_sys(err, "state directory %s: open %s", w->shown, name);
	if ((last ? check_final(fd, w->shown, err) : check_on_the_way(fd, w->shown, name, err)) < 0)
		return -1;
	close(w->fd);
	w->fd = scute_take_fd(&fd);
	memmove(w->todo, rest, strlen(rest) + 1);
	return 0;
}

/* The first component of w->todo and what follows it: 1, or 0 when none is
 * left, -1 when it is too long. "." is skipped; ".." is a name like any
 * other (the kernel's parent, checked as every other step). */
static int next_component(struct walk *w, char *name, char **rest)
{
	char *p = w->todo, *end;

	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		end = strchrnul(p, '/');
		if (end - p == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		break;
	}
	if (end - p > NAME_MAX)
		return -1;
	memcpy(name, p, (size_t)(end - p));
	name[end - p] = '\0';
	*rest = end;
	while (**rest == '/')
		(*rest)++;
	return 1;
}

static bool nothing_after(const char *rest)
{
	for (const char *p = rest; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		if (p[0] == '.' && (p[1] == '/' || !p[1])) {
			p++;
			continue;
		}
		return false;
	}
	return true;
}

static int start_walk(struct walk *w, const char *path, struct scute_err *err)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return scute_err_sys(err, "state directory %s: current directory", path);
	n = snprintf(w->todo, sizeof(w->todo), "%s%s%s", path[0] == '/' ? "" : cwd,
		     path[0] == '/' ? "" : "/", path);
	if (n < 0 || (size_t)n >= sizeof(w->todo))
		return scute_err_set(err, ENAMETOOLONG, "state directory %s: path too long", path);
	w->fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w->fd < 0)
		return scute_err_sys(err, "open /");
	return check_on_the_way(w->fd, path, "/", err);
}

int scute_state_root_open(const char *path, bool create, struct scute_err *err)
{
	struct walk w = { .shown = path, .fd = -1 };
	char name[NAME_MAX + 1], *rest;
	int more;

	if (!*path)
		return scute_err_set(err, EINVAL, "state directory: empty path");
	if (start_walk(&w, path, err) < 0)
		goto fail;
	while ((more = next_component(&w, name, &rest)) > 0)
		if (step(&w, name, rest, nothing_after(rest), create, err) < 0)
			goto fail;
	if (more < 0) {
		scute_err_set(err, ENAMETOOLONG, "state directory %s: name too long", path);
		goto fail;
	}
	/* "/" itself, or a path of only "." and "..": never a state root. */
	if (fcntl(w.fd, F_GETFL) & O_PATH) {
		scute_err_set(err, EINVAL, "state directory %s: not a usable directory", path);
		goto fail;
	}
	return w.fd;
fail:
	if (w.fd >= 0)
		close(w.fd);
	return -1;
}
