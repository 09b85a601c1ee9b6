/* Users and groups from the container's root (user_lookup.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "user_lookup.h"

/* An image's passwd or group file larger than this is refused: no real
 * one comes near it, and the whole file is read into memory. */
#define ETC_FILE_MAX ((off_t)4 * 1024 * 1024)
#define GROUPS_MAX 65536

/* The file's contents as a stream, or NULL with *missing set when the
 * image has none (docker then knows only numeric ids). */
static FILE *open_etc(int rootfd, const char *name, char **buf, bool *missing,
		      struct scute_err *err)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	auto_fd int fd = (int)syscall(SYS_openat2, rootfd, name, &how, sizeof(how));
	struct stat st;
	ssize_t n;

	*missing = false;
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		*missing = true;
		return NULL;
	}
	if (fd < 0 || fstat(fd, &st) < 0)
		return scute_err_sys(err, "container's /%s", name), NULL;
	if (!S_ISREG(st.st_mode) || st.st_size > ETC_FILE_MAX)
		return scute_err_set(err, EINVAL,
				     "container's /%s: not a regular file of at most %lld bytes",
				     name, (long long)ETC_FILE_MAX),
		       NULL;
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf)
		return scute_err_set(err, ENOMEM, "container's /%s: out of memory", name), NULL;
	n = pread(fd, *buf, (size_t)st.st_size, 0);
	if (n < 0)
		return scute_err_sys(err, "read container's /%s", name), NULL;
	(*buf)[n] = '\0';
	return fmemopen(*buf, (size_t)n + 1, "r");
}

static bool numeric(const char *s, int64_t *v)
{
	struct scute_err ignored;

	return scute_parse_int(s, 0, (int64_t)UINT32_MAX - 1, v, &ignored) == 0;
}

/* The passwd entry for NAME or UID: found sets uid, gid, home. */
static int find_user(int rootfd, const char *who, struct scute_user *u, char *name, size_t size,
		     struct scute_err *err)
{
	auto_free char *buf = NULL;
	auto_fclose FILE *f = NULL;
	char line[4096];
	struct passwd pw = { 0 }, *r;
	bool missing, is_num;
	int64_t id = 0;

	is_num = numeric(who, &id);
	f = open_etc(rootfd, "etc/passwd", &buf, &missing, err);
	if (!f && !missing)
		return -1;
	while (f && fgetpwent_r(f, &pw, line, sizeof(line), &r) == 0) {
		if (is_num ? pw.pw_uid != (uid_t)id : strcmp(pw.pw_name, who) != 0)
			continue;
		u->uid = pw.pw_uid;
		u->gid = pw.pw_gid;
		snprintf(u->home, sizeof(u->home), "%s", pw.pw_dir[0] ? pw.pw_dir : "/");
		snprintf(name, size, "%s", pw.pw_name);
		return 0;
	}
	if (!is_num)
		return scute_err_set(
			err, ENOENT,
			"unable to find user %.100s: no matching entries in passwd file", who);
	u->uid = (uid_t)id;
	return 0;
}

static int add_group(struct scute_user *u, gid_t g, struct scute_err *err)
{
	gid_t *n;

	for (size_t i = 0; i < u->n_groups; i++)
		if (u->groups[i] == g)
			return 0;
	if (u->n_groups >= GROUPS_MAX)
		return scute_err_set(err, E2BIG, "more than %d supplementary groups", GROUPS_MAX);
	n = realloc(u->groups, (u->n_groups + 1) * sizeof(*n));
	if (!n)
		return scute_err_set(err, ENOMEM, "groups: out of memory");
	u->groups = n;
	u->groups[u->n_groups++] = g;
	return 0;
}

static bool is_member(char **members, const char *name)
{
	for (; name[0] && members && *members; members++)
		if (!strcmp(*members, name))
			return true;
	return false;
}

/* One pass over /etc/group: the primary group asked for by name or number
 * (group != NULL), the user's memberships, and each GroupAdd entry. */
static int scan_groups(int rootfd, const char *group, const char *user, json_t *group_add,
		       struct scute_user *u, struct scute_err *err)
{
	auto_free char *buf = NULL;
	auto_fclose FILE *f = NULL;
	auto_free bool *added = calloc(json_array_size(group_add) + 1, sizeof(bool));
	char line[65536];
	struct group gr = { 0 }, *r;
	bool missing, primary_found = false;
	int64_t id;
	size_t i;
	json_t *g;

	if (!added)
		return scute_err_set(err, ENOMEM, "groups: out of memory");
	f = open_etc(rootfd, "etc/group", &buf, &missing, err);
	if (!f && !missing)
		return -1;
	while (f && fgetgrent_r(f, &gr, line, sizeof(line), &r) == 0) {
		if (group && !primary_found &&
		    (numeric(group, &id) ? gr.gr_gid == (gid_t)id : !strcmp(gr.gr_name, group))) {
			u->gid = gr.gr_gid;
			primary_found = true;
		}
		if (is_member(gr.gr_mem, user) && add_group(u, gr.gr_gid, err) < 0)
			return -1;
		json_array_foreach(group_add, i, g)
		{
			const char *s = json_string_value(g);

			if (!added[i] && s && !strcmp(s, gr.gr_name)) {
				added[i] = true;
				if (add_group(u, gr.gr_gid, err) < 0)
					return -1;
			}
		}
	}
	if (group && !primary_found) {
		if (!numeric(group, &id))
			return scute_err_set(
				err, ENOENT,
				"unable to find group %.100s: no matching entries in group file",
				group);
		u->gid = (gid_t)id;
	}
	json_array_foreach(group_add, i, g)
	{
		const char *s = json_string_value(g);

		if (added[i])
			continue;
		if (!s || !numeric(s, &id))
			return scute_err_set(err, ENOENT,
					     "HostConfig.GroupAdd: unable to find group %.100s",
					     s ? s : "(not a string)");
		if (add_group(u, (gid_t)id, err) < 0)
			return -1;
	}
	return 0;
}

int scute_user_resolve(int rootfd, const char *user, json_t *group_add, struct scute_user *out,
		       struct scute_err *err)
{
	char who[256], name[256] = "";
	const char *group = NULL;
	char *colon;

	*out = (struct scute_user){ .home = "/" };
	/* cut short, "000…0001000" would name uid 0 */
	if (user && strlen(user) >= sizeof(who))
		return scute_err_set(err, EINVAL, "Config.User: longer than %zu characters",
				     sizeof(who) - 1);
	snprintf(who, sizeof(who), "%s", user && user[0] ? user : "0");
	colon = strchr(who, ':');
	if (colon) {
		*colon = '\0';
		group = colon + 1;
	}
	if (!who[0] || (group && !group[0]))
		return scute_err_set(err, EINVAL, "Config.User: invalid user \"%.100s\"", user);
	if (find_user(rootfd, who, out, name, sizeof(name), err) < 0 ||
	    scan_groups(rootfd, group, name, group_add, out, err) < 0) {
		scute_user_clear(out);
		return -1;
	}
	return 0;
}

void scute_user_clear(struct scute_user *u)
{
	free(u->groups);
	u->groups = NULL;
	u->n_groups = 0;
}
