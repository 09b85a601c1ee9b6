#include "remove_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"

int scute_remove_tree_at(int dfd, const char *name, struct scute_err *err)
{
	struct stat st;
	auto_closedir DIR *d = NULL;
	struct dirent *e;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "remove %s", name);
	if (S_ISDIR(st.st_mode)) {
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return scute_err_sys(err, "remove %s", name);
		d = fdopendir(fd);
		if (!d) {
			close(fd);
			return scute_err_sys(err, "remove %s", name);
		}
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			    scute_remove_tree_at(dirfd(d), e->d_name, err) < 0)
				return -1;
	}
	if (unlinkat(dfd, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0 && errno != ENOENT)
		return scute_err_sys(err, "remove %s", name);
	return 0;
}
