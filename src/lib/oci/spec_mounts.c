/* config.json: mounts[] and their options, turned into what the new mount API
 * takes: mount attributes, propagation, and filesystem options for fsconfig. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "log.h"
#include "spec_walk.h"

enum opt_kind {
	OPT_SET,
	OPT_CLR,
	OPT_ATIME,
	OPT_PROPAGATION,
	OPT_BIND,
	OPT_FS_FLAG,
	OPT_NONE,
	OPT_COPYUP,
	OPT_REFUSE
};

static const struct {
	const char *name;
	enum opt_kind kind;
	uint64_t value;
	bool recursive;
} mount_options[] = {
	{ "ro", OPT_SET, MOUNT_ATTR_RDONLY, false },
	{ "rw", OPT_CLR, MOUNT_ATTR_RDONLY, false },
	{ "nosuid", OPT_SET, MOUNT_ATTR_NOSUID, false },
	{ "suid", OPT_CLR, MOUNT_ATTR_NOSUID, false },
	{ "nodev", OPT_SET, MOUNT_ATTR_NODEV, false },
	{ "dev", OPT_CLR, MOUNT_ATTR_NODEV, false },
	{ "noexec", OPT_SET, MOUNT_ATTR_NOEXEC, false },
	{ "exec", OPT_CLR, MOUNT_ATTR_NOEXEC, false },
	{ "nodiratime", OPT_SET, MOUNT_ATTR_NODIRATIME, false },
	{ "diratime", OPT_CLR, MOUNT_ATTR_NODIRATIME, false },
	{ "nosymfollow", OPT_SET, MOUNT_ATTR_NOSYMFOLLOW, false },
	{ "symfollow", OPT_CLR, MOUNT_ATTR_NOSYMFOLLOW, false },
	{ "relatime", OPT_ATIME, MOUNT_ATTR_RELATIME, false },
	{ "norelatime", OPT_ATIME, MOUNT_ATTR_STRICTATIME, false },
	{ "noatime", OPT_ATIME, MOUNT_ATTR_NOATIME, false },
	{ "atime", OPT_ATIME, MOUNT_ATTR_RELATIME, false },
	{ "strictatime", OPT_ATIME, MOUNT_ATTR_STRICTATIME, false },
	/* The recursive forms (runc's, sent by containerd for Kubernetes'
	 * recursiveReadOnly): an rbind's attributes are set on its whole tree
	 * anyway, a bind has no submounts. Unknown, "rro" would be taken for a
	 * filesystem option and dropped from a bind mount, leaving it writable. */
	{ "rro", OPT_SET, MOUNT_ATTR_RDONLY, true },
	{ "rrw", OPT_CLR, MOUNT_ATTR_RDONLY, true },
	{ "rnosuid", OPT_SET, MOUNT_ATTR_NOSUID, true },
	{ "rsuid", OPT_CLR, MOUNT_ATTR_NOSUID, true },
	{ "rnodev", OPT_SET, MOUNT_ATTR_NODEV, true },
	{ "rdev", OPT_CLR, MOUNT_ATTR_NODEV, true },
	{ "rnoexec", OPT_SET, MOUNT_ATTR_NOEXEC, true },
	{ "rexec", OPT_CLR, MOUNT_ATTR_NOEXEC, true },
	{ "rnodiratime", OPT_SET, MOUNT_ATTR_NODIRATIME, true },
	{ "rdiratime", OPT_CLR, MOUNT_ATTR_NODIRATIME, true },
	{ "rnosymfollow", OPT_SET, MOUNT_ATTR_NOSYMFOLLOW, true },
	{ "rsymfollow", OPT_CLR, MOUNT_ATTR_NOSYMFOLLOW, true },
	{ "rrelatime", OPT_ATIME, MOUNT_ATTR_RELATIME, true },
	{ "rnorelatime", OPT_ATIME, MOUNT_ATTR_STRICTATIME, true },
	{ "rnoatime", OPT_ATIME, MOUNT_ATTR_NOATIME, true },
	{ "ratime", OPT_ATIME, MOUNT_ATTR_RELATIME, true },
	{ "rstrictatime", OPT_ATIME, MOUNT_ATTR_STRICTATIME, true },
	{ "private", OPT_PROPAGATION, MS_PRIVATE, false },
	{ "rprivate", OPT_PROPAGATION, MS_PRIVATE, true },
	{ "shared", OPT_PROPAGATION, MS_SHARED, false },
	{ "rshared", OPT_PROPAGATION, MS_SHARED, true },
	{ "slave", OPT_PROPAGATION, MS_SLAVE, false },
	{ "rslave", OPT_PROPAGATION, MS_SLAVE, true },
	{ "unbindable", OPT_PROPAGATION, MS_UNBINDABLE, false },
	{ "runbindable", OPT_PROPAGATION, MS_UNBINDABLE, true },
	{ "bind", OPT_BIND, 0, false },
	{ "rbind", OPT_BIND, 0, true },
	{ "sync", OPT_FS_FLAG, 0, false },
	{ "dirsync", OPT_FS_FLAG, 0, false },
	{ "lazytime", OPT_FS_FLAG, 0, false },
	/* The kernel's defaults: asking for them changes nothing. */
	{ "async", OPT_NONE, 0, false },
	{ "nolazytime", OPT_NONE, 0, false },
	{ "defaults", OPT_NONE, 0, false },
	{ "remount", OPT_REFUSE, 0, false },
	{ "tmpcopyup", OPT_COPYUP, 0, false },
	{ "idmap", OPT_REFUSE, 0, false },
	{ "ridmap", OPT_REFUSE, 0, false },
	{ "copy-symlink", OPT_REFUSE, 0, false },
};

int spec_mount_add_option(struct spec_walk *w, struct scute_mount *m, const char *opt)
{
	char **grown = realloc(m->fs_options, (m->n_fs_options + 2) * sizeof(char *));

	if (!grown)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	m->fs_options = grown;
	if (!(grown[m->n_fs_options] = strdup(opt)))
		return scute_err_set(w->err, ENOMEM, "out of memory");
	grown[++m->n_fs_options] = NULL;
	return 0;
}

static int apply_option(struct spec_walk *w, const char *path, struct scute_mount *m,
			const char *opt)
{
	size_t k, n = sizeof(mount_options) / sizeof(mount_options[0]);

	for (k = 0; k < n; k++)
		if (strcmp(opt, mount_options[k].name) == 0)
			break;
	if (k == n)
		return spec_mount_add_option(w, m, opt);
	switch (mount_options[k].kind) {
	case OPT_SET:
		m->attr_set |= mount_options[k].value;
		m->attr_clr &= ~mount_options[k].value;
		break;
	case OPT_CLR:
		m->attr_clr |= mount_options[k].value;
		m->attr_set &= ~mount_options[k].value;
		break;
	case OPT_ATIME:
		m->attr_clr |= MOUNT_ATTR__ATIME;
		m->attr_set = (m->attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | mount_options[k].value;
		break;
	case OPT_PROPAGATION:
		m->propagation = mount_options[k].value;
		m->propagation_recursive = mount_options[k].recursive;
		break;
	case OPT_BIND:
		m->bind = true;
		m->recursive = mount_options[k].recursive;
		break;
	case OPT_FS_FLAG: return spec_mount_add_option(w, m, opt);
	case OPT_NONE: break;
	case OPT_COPYUP: m->tmpcopyup = true; break;
	case OPT_REFUSE:
		return walk_fail(w, path, "mount option \"%s\" is not supported by this build",
				 opt);
	}
	return 0;
}

/* Filesystem options mean nothing to a bind mount (it makes no filesystem);
 * engines send them anyway (mode=755 with bind), so they are dropped, and
 * said so with --debug. */
static void drop_fs_options(struct spec_walk *w, const char *path, struct scute_mount *m)
{
	for (size_t i = 0; i < m->n_fs_options; i++) {
		scute_debug("%s: %s: option \"%s\" does not apply to a bind mount; ignored",
			    w->origin, path, m->fs_options[i]);
		free(m->fs_options[i]);
	}
	free(m->fs_options);
	m->fs_options = NULL;
	m->n_fs_options = 0;
}

static int parse_mount(struct spec_walk *w, json_t *item, const char *path, const char *bundle,
		       struct scute_mount *m)
{
	char **opts, *rel;
	size_t n;
	int rc = 0;

	/* Every field lands in *m at once, so scute_spec_free frees it on
	 * any error below. */
	if (!json_is_object(item))
		return walk_fail(w, path, "expected an object");
	if (walk_string(w, item, path, "destination", true, &m->destination) < 0 ||
	    walk_string(w, item, path, "type", false, &m->type) < 0 ||
	    walk_string(w, item, path, "source", false, &m->source) < 0 ||
	    walk_refuse(w, item, path, "uidMappings") < 0 ||
	    walk_refuse(w, item, path, "gidMappings") < 0 ||
	    walk_string_array(w, item, path, "options", &opts, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char opath[160];
		snprintf(opath, sizeof(opath), "%s.options[%zu]", path, i);
		rc = apply_option(w, opath, m, opts[i]);
	}
	free_string_array(opts, n);
	if (rc < 0)
		return -1;
	if (m->type && strcmp(m->type, "bind") == 0)
		m->bind = true;
	if (!m->bind && !m->type)
		return walk_fail(w, path, "type is required unless the mount is a bind mount");
	if (m->tmpcopyup && (m->bind || strcmp(m->type, "tmpfs") != 0))
		return walk_fail(w, path, "option \"tmpcopyup\" is only for tmpfs mounts");
	if (!m->bind)
		return 0;
	if (!m->source)
		return walk_fail(w, path, "a bind mount needs a source");
	drop_fs_options(w, path, m);
	if (m->source[0] != '/') {
		/* Relative bind sources are relative to the bundle. */
		rel = m->source;
		if (asprintf(&m->source, "%s/%s", bundle, rel) < 0)
			m->source = NULL;
		free(rel);
		if (!m->source)
			return scute_err_set(w->err, ENOMEM, "out of memory");
	}
	return 0;
}

int spec_parse_mounts(struct spec_walk *w, json_t *root, struct scute_spec *spec)
{
	json_t *arr, *item;
	size_t i;

	if (walk_array(w, root, "", "mounts", false, &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	spec->mounts = calloc(json_array_size(arr) + 1, sizeof(*spec->mounts));
	if (!spec->mounts)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		char path[64];
		snprintf(path, sizeof(path), "mounts[%zu]", i);
		spec->n_mounts = i + 1;
		if (parse_mount(w, item, path, spec->bundle, &spec->mounts[i]) < 0)
			return -1;
	}
	return 0;
}

const char *scute_mount_option_name(size_t i)
{
	size_t n = sizeof(mount_options) / sizeof(mount_options[0]);

	for (size_t k = 0; k < n; k++) {
		if (mount_options[k].kind == OPT_REFUSE)
			continue;
		if (i-- == 0)
			return mount_options[k].name;
	}
	return NULL;
}
