/* The new mount API as the rest of sandbox/ uses it: fresh filesystems
 * made detached, and detached mounts attached onto an fd. */
#include "mount_api.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cleanup.h"

int scute_mount_attach(int mntfd, int targetfd, const char *shown, struct scute_err *err)
{
	if (move_mount(mntfd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
	    0)
		return scute_err_sys(err, "mount on %s", shown);
	return 0;
}

static int fs_config_option(int fsfd, const char *opt)
{
	const char *eq = strchr(opt, '=');
	char key[256];

	if (!eq)
		return fsconfig(fsfd, FSCONFIG_SET_FLAG, opt, NULL, 0);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - opt), opt);
	return fsconfig(fsfd, FSCONFIG_SET_STRING, key, eq + 1, 0);
}

int scute_mount_new_fs(const char *type, const char *source, char *const *options, size_t n_options,
		       uint64_t attr, const char *shown, struct scute_err *err)
{
	auto_fd int fsfd = fsopen(type, FSOPEN_CLOEXEC);
	int mntfd;

	if (fsfd < 0)
		return scute_err_sys(err, "mount %s on %s", type, shown);
	if (source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return scute_err_sys(err, "mount %s on %s: source \"%s\"", type, shown, source);
	for (size_t i = 0; i < n_options; i++)
		if (fs_config_option(fsfd, options[i]) < 0)
			return scute_err_sys(err, "mount %s on %s: option \"%s\"", type, shown,
					     options[i]);
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return scute_err_sys(err, "mount %s on %s", type, shown);
	mntfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned int)attr);
	if (mntfd < 0)
		return scute_err_sys(err, "mount %s on %s", type, shown);
	return mntfd;
}
