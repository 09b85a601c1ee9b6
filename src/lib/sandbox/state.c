#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsutil.h"
#include "log.h"
#include "state_root.h"
#include "sync.h"
#include "values.h"

static const char *const status_names[] = { "creating", "created", "running", "stopped", "paused" };

const char *scute_status_name(enum scute_status s)
{
	return status_names[s];
}

int scute_state_check_id(const char *id, struct scute_err *err)
{
	if (!*id || strcmp(id, ".") == 0 || strcmp(id, "..") == 0 || strlen(id) > 1024)
		return scute_err_set(err, EINVAL, "invalid container id \"%s\"", id);
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_+-.", *p)))
			return scute_err_set(err, EINVAL,
					     "invalid container id \"%s\": only letters, digits "
					     "and _ + - . are allowed",
					     id);
	return 0;
}

/* Below the checked state root `rootfd` (scute_state_root_open). */
int scute_state_dir_create(int rootfd, const char *id, const struct scute_state *st,
			   struct scute_err *err)
{
	char tmp[64];
	auto_fd int fd = -1;

	if (scute_state_check_id(id, err) < 0)
		return -1;
	/* The directory appears under its id with its state already in it, so
	 * no reader ever sees it empty. */
	snprintf(tmp, sizeof(tmp), ".new-%d", getpid());
	if (mkdirat(rootfd, tmp, 0700) < 0)
		return scute_err_sys(err, "create the state of container \"%s\"", id);
	fd = openat(rootfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || scute_state_write(fd, st, err) < 0 ||
	    renameat2(rootfd, tmp, rootfd, id, RENAME_NOREPLACE) < 0) {
		if (fd < 0)
			scute_err_sys(err, "open the state of container \"%s\"", id);
		else if (errno == EEXIST)
			scute_err_set(err, EEXIST, "container \"%s\" already exists", id);
		else if (!err->msg[0])
			scute_err_sys(err, "create the state of container \"%s\"", id);
		if (fd >= 0)
			unlinkat(fd, "state.json", 0);
		unlinkat(rootfd, tmp, AT_REMOVEDIR);
		return -1;
	}
	return scute_take_fd(&fd);
}

int scute_state_dir_open(int rootfd, const char *id, struct scute_err *err)
{
	int fd;

	if (scute_state_check_id(id, err) < 0)
		return -1;
	/* A single checked name and O_NOFOLLOW: ROOT/ID swapped for a symlink
	 * to a directory of someone else's making is refused. */
	fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return scute_err_set(err, ENOENT, "container \"%s\" does not exist", id);
	if (fd < 0)
		return scute_err_sys(err, "open the state of container \"%s\"", id);
	return fd;
}

bool scute_state_dir_current(int rootfd, const char *id, int dirfd)
{
	struct stat named, opened;

	return fstatat(rootfd, id, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
	       fstat(dirfd, &opened) == 0 && named.st_dev == opened.st_dev &&
	       named.st_ino == opened.st_ino;
}

int scute_state_load_at(int rootfd, const char *id, struct scute_state *st, struct scute_err *err)
{
	auto_fd int dirfd = scute_state_dir_open(rootfd, id, err);

	if (dirfd < 0)
		return -1;
	if (scute_state_read(dirfd, st, err) == 0)
		return 0;
	if (!scute_state_dir_current(rootfd, id, dirfd))
		return scute_err_set(err, ENOENT, "container \"%s\" does not exist", id);
	return -1;
}

char *scute_state_config(int rootfd, const char *id, size_t *len, struct scute_err *err)
{
	auto_fd int dirfd = scute_state_dir_open(rootfd, id, err);

	if (dirfd < 0)
		return NULL;
	return scute_read_file_at(dirfd, "config.json", O_NOFOLLOW, SIZE_MAX / 2, len, err);
}

static json_t *cgroup_to_json(const struct scute_cgroup *cg)
{
	json_t *arr = json_array();

	for (int i = 0; i < cg->n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:b, s:b}", "path",
						     cg->dirs[i].path, "controllers",
						     cg->dirs[i].controllers, "v2", cg->dirs[i].v2,
						     "created", cg->dirs[i].created, "absent",
						     cg->dirs[i].absent));
	return arr;
}

int scute_state_write(int dirfd, const struct scute_state *st, struct scute_err *err)
{
	auto_json json_t *doc = json_pack(
		"{s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:i, s:b, s:O?, s:o, s:s*, s:s*, s:O*}",
		"ociVersion", "1.2.0", "id", st->id, "bundle", st->bundle, "status",
		scute_status_name(st->stored), "pid", (int)st->pid, "starttime",
		(json_int_t)st->starttime, "created", st->created, "owner", (int)st->owner, "pidns",
		st->pidns, "annotations", st->annotations, "cgroups", cgroup_to_json(&st->cgroup),
		"listenerPath", st->listener_path, "listenerMetadata", st->listener_metadata,
		"hooks", st->hooks);
	auto_free char *text = NULL;

	if (!doc)
		return scute_err_set(err, ENOMEM, "build state document");
	text = json_dumps(doc, JSON_COMPACT);
	if (!text)
		return scute_err_set(err, ENOMEM, "serialize state");
	return scute_write_file_atomic(dirfd, "state.json", text, strlen(text), err);
}

static int cgroup_from_json(json_t *arr, struct scute_cgroup *cg)
{
	json_t *item;
	size_t i;

	json_array_foreach(arr, i, item)
	{
		if (cg->n == SCUTE_CGROUP_MAX_HIERARCHIES)
			break;
		const char *path = json_string_value(json_object_get(item, "path"));
		const char *ctl = json_string_value(json_object_get(item, "controllers"));
		if (!path || !ctl)
			return -1;
		cg->dirs[cg->n].path = strdup(path);
		cg->dirs[cg->n].controllers = strdup(ctl);
		cg->dirs[cg->n].v2 = json_is_true(json_object_get(item, "v2"));
		cg->dirs[cg->n].created = json_is_true(json_object_get(item, "created"));
		cg->dirs[cg->n].absent = json_is_true(json_object_get(item, "absent"));
		cg->n++;
	}
	return 0;
}

int scute_state_read(int dirfd, struct scute_state *st, struct scute_err *err)
{
	const char *id, *bundle, *status, *created, *lpath = NULL, *lmeta = NULL;
	auto_json json_t *doc = NULL;
	json_t *ann = NULL, *cgroups = NULL, *hooks = NULL;
	json_error_t jerr;
	json_int_t pid, starttime, owner;
	int pidns = 0;

	memset(st, 0, sizeof(*st));
	/* One read of the whole file (jansson's own fd reader reads a byte
	 * per system call), however large: annotations and hooks have no
	 * limit of their own. */
	size_t n;
	auto_free char *text =
		scute_read_file_at(dirfd, "state.json", O_NOFOLLOW, SIZE_MAX / 2, &n, err);
	if (!text) {
		/* ENOENT is kept for "no such container": a directory without
		 * its state is a damaged one. */
		if (err->code == ENOENT)
			err->code = EIO;
		return -1;
	}
	doc = json_loadb(text, n, 0, &jerr);
	if (!doc)
		return scute_err_set(err, EINVAL, "state.json: %s", jerr.text);
	if (json_unpack_ex(doc, &jerr, 0,
			   "{s:s, s:s, s:s, s:I, s:I, s:s, s:I, s?b, s?o, s?o, s?s, s?s, s?o}",
			   "id", &id, "bundle", &bundle, "status", &status, "pid", &pid,
			   "starttime", &starttime, "created", &created, "owner", &owner, "pidns",
			   &pidns, "annotations", &ann, "cgroups", &cgroups, "listenerPath", &lpath,
			   "listenerMetadata", &lmeta, "hooks", &hooks) < 0)
		return scute_err_set(err, EINVAL, "state.json: %s", jerr.text);
	st->id = strdup(id);
	st->bundle = strdup(bundle);
	st->created = strdup(created);
	st->pid = (pid_t)pid;
	st->starttime = (unsigned long long)starttime;
	st->owner = (uid_t)owner;
	st->pidns = pidns;
	st->annotations = json_incref(ann);
	st->hooks = json_incref(hooks);
	st->listener_path = lpath ? strdup(lpath) : NULL;
	st->listener_metadata = lmeta ? strdup(lmeta) : NULL;
	st->stored = SCUTE_STOPPED;
	for (int i = 0; i < (int)(sizeof(status_names) / sizeof(status_names[0])); i++)
		if (strcmp(status, status_names[i]) == 0)
			st->stored = (enum scute_status)i;
	if (cgroups && cgroup_from_json(cgroups, &st->cgroup) < 0) {
		scute_state_free(st);
		return scute_err_set(err, EINVAL, "state.json: malformed cgroups");
	}
	return 0;
}

int scute_state_remove(int rootfd, const char *id, struct scute_err *err)
{
	char gone[64 + 1024];
	struct dirent *e;
	auto_closedir DIR *d = NULL;
	auto_fd int fd = -1;

	if (scute_state_check_id(id, err) < 0)
		return -1;
	/* Out of sight first, so readers never find a half-removed entry. */
	snprintf(gone, sizeof(gone), ".gone-%d-%s", getpid(), id);
	if (renameat(rootfd, id, rootfd, gone) < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "remove container \"%s\"", id);
	fd = openat(rootfd, gone, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		/* Not a directory of ours (a symlink planted there): drop the
		 * name, never what it points to. */
		if (unlinkat(rootfd, gone, 0) < 0)
			return scute_err_sys(err, "remove container \"%s\"", id);
		return 0;
	}
	if (fd < 0)
		return scute_err_sys(err, "open %s", gone);
	d = fdopendir(fd);
	if (!d)
		return scute_err_sys(err, "read %s", gone);
	(void)scute_take_fd(&fd); /* the stream owns it */
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(scute_take_ptr(&d)); /* closed before its directory is removed */
	if (unlinkat(rootfd, gone, AT_REMOVEDIR) < 0)
		return scute_err_sys(err, "remove %s", gone);
	return 0;
}

void scute_state_free(struct scute_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->created);
	json_decref(st->annotations);
	json_decref(st->hooks);
	free(st->listener_path);
	free(st->listener_metadata);
	scute_cgroup_free(&st->cgroup);
	memset(st, 0, sizeof(*st));
}

unsigned long long scute_pid_starttime(pid_t pid, bool *zombie)
{
	char path[64], buf[1024], *p, *tok, *save = NULL;
	int64_t start;
	struct scute_err ignored;
	char state;

	*zombie = false;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (pid <= 0 || scute_read_at(AT_FDCWD, path, buf, sizeof(buf), &ignored) <= 0)
		return 0;
	/* The command name may hold spaces and parentheses: skip past the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !(tok = strtok_r(p + 2, " ", &save)) || strlen(tok) != 1)
		return 0;
	state = tok[0];
	/* Field 22 of proc(5), starttime: 19 fields after the state (field 3). */
	for (int i = 0; i < 19 && tok; i++)
		tok = strtok_r(NULL, " ", &save);
	if (!tok || scute_parse_int(tok, 0, INT64_MAX, &start, &ignored) < 0)
		return 0;
	*zombie = state == 'Z' || state == 'X';
	return (unsigned long long)start;
}

enum scute_status scute_state_status(const struct scute_state *st)
{
	bool zombie;

	if (st->stored == SCUTE_CREATING || st->stored == SCUTE_STOPPED)
		return st->stored;
	if (scute_pid_starttime(st->pid, &zombie) != st->starttime || zombie)
		return SCUTE_STOPPED;
	return st->stored;
}

/* The owner's name from /etc/passwd, else the uid as a number. Read
 * directly, as runc does: getpwuid() would load NSS (nsswitch.conf, an
 * nscd socket) on every start for a name only `state` shows. */
static void owner_name(uid_t uid, char *out, size_t len)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd ent = { 0 }, *pw;
	char buf[4096];

	snprintf(out, len, "%u", uid);
	if (!f)
		return;
	while (fgetpwent_r(f, &ent, buf, sizeof(buf), &pw) == 0)
		if (pw->pw_uid == uid) {
			snprintf(out, len, "%s", pw->pw_name);
			break;
		}
	fclose(f);
}

json_t *scute_state_to_oci(const struct scute_state *st)
{
	enum scute_status s = scute_state_status(st);
	char owner[256];
	json_t *doc;

	owner_name(st->owner, owner, sizeof(owner));
	doc = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "ociVersion", "1.2.0", "id", st->id,
			"status", scute_status_name(s), "pid",
			s == SCUTE_STOPPED ? 0 : (int)st->pid, "bundle", st->bundle, "created",
			st->created, "owner", owner);

	if (doc && st->annotations)
		json_object_set(doc, "annotations", st->annotations);
	/* Not in the OCI state: how many processes the kernel OOM-killed. */
	if (doc)
		json_object_set_new(doc, "oomKills",
				    json_integer((json_int_t)scute_cgroup_oom_kills(&st->cgroup)));
	return doc;
}

int scute_start_socket(int dirfd, bool listening, struct scute_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX, .sun_path = SCUTE_START_SOCKET };
	auto_fd int fd = -1;
	auto_fd int cwd = -1;
	int rc = 0;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || cwd < 0 || fchdir(dirfd) < 0)
		rc = scute_err_sys(err, "open the start socket");
	else if (listening &&
		 (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0))
		rc = scute_err_sys(err, "bind the start socket");
	else if (!listening && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		rc = scute_err_sys(err, "reach the container init");
	if (cwd >= 0 && fchdir(cwd) < 0 && rc == 0)
		rc = scute_err_sys(err, "return to the working directory");
	return rc < 0 ? -1 : scute_take_fd(&fd);
}

char *scute_state_hook_text(const struct scute_state *st)
{
	auto_json json_t *doc = scute_state_to_oci(st);

	return doc ? json_dumps(doc, JSON_COMPACT) : NULL;
}

char *scute_state_init_hook_text(const struct scute_state *st)
{
	char *text = scute_state_hook_text(st);
	struct scute_state slim = *st;

	if (!text || strlen(text) <= SCUTE_SYNC_TEXT_MAX)
		return text;
	free(text);
	scute_debug("container \"%s\": state over %d bytes; the container's hooks get it "
		    "without annotations",
		    st->id, SCUTE_SYNC_TEXT_MAX);
	slim.annotations = NULL;
	return scute_state_hook_text(&slim);
}
