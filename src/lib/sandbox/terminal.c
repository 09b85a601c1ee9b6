#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "fdpass.h"
#include "fsutil.h"
#include "mount_api.h"

int scute_console_socket_connect(const char *path, struct scute_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	auto_fd int fd = -1;

	if (strlen(path) >= sizeof(addr.sun_path))
		return scute_err_set(err, ENAMETOOLONG, "--console-socket %s: path too long", path);
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return scute_err_sys(err, "console socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return scute_err_sys(err, "connect to --console-socket %s", path);
	return scute_take_fd(&fd);
}

/* The master must be the ptmx of a devpts: opened without following links
 * and checked, so a planted /dev/pts/ptmx cannot stand in (CVE-2025-52565). */
static int open_ptmx(int rootfd, struct scute_err *err)
{
	struct statfs sfs;
	struct stat st;
	auto_fd int fd =
		scute_openat2(rootfd, "dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0,
			      RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);

	if (fd < 0)
		return scute_err_sys(err, "process.terminal: open /dev/pts/ptmx (a devpts mount "
					  "at /dev/pts is needed)");
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC || fstat(fd, &st) < 0 ||
	    !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2)
		return scute_err_set(err, EPERM, "/dev/pts/ptmx is not a devpts ptmx");
	return scute_take_fd(&fd);
}

int scute_terminal_setup(int rootfd, int sockfd, unsigned short rows, unsigned short cols,
			 bool console_too, struct scute_err *err)
{
	auto_fd int master = -1;
	auto_fd int peer = -1;
	auto_fd int console = -1;
	auto_fd int mnt = -1;
	int unlock = 0;
	struct winsize ws = { .ws_row = rows, .ws_col = cols };

	master = open_ptmx(rootfd, err);
	if (master < 0)
		return -1;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return scute_err_sys(err, "unlock the pty");
	if ((rows || cols) && ioctl(master, TIOCSWINSZ, &ws) < 0)
		return scute_err_sys(err, "process.consoleSize");
	/* The peer comes from the master itself, never from a path. */
	peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return scute_err_sys(err, "open the pty peer");
	if (!console_too) {
		/* exec: a pty of its own, /dev/console stays the init's. */
		if (scute_send_fd(sockfd, master, "/dev/ptmx", err) < 0)
			return -1;
		return scute_take_fd(&peer);
	}
	console = scute_openat2(rootfd, "dev/console", O_PATH | O_CLOEXEC, 0,
				RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (console < 0)
		return scute_err_sys(err, "open /dev/console");
	mnt = open_tree(peer, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (mnt < 0)
		return scute_err_sys(err, "clone the pty peer");
	if (scute_mount_attach(mnt, console, "/dev/console", err) < 0 ||
	    scute_send_fd(sockfd, master, "/dev/ptmx", err) < 0)
		return -1;
	return scute_take_fd(&peer);
}

int scute_terminal_become(int peerfd, struct scute_err *err)
{
	if (setsid() < 0 && errno != EPERM)
		return scute_err_sys(err, "setsid");
	if (ioctl(peerfd, TIOCSCTTY, 0) < 0)
		return scute_err_sys(err, "make the pty the controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(peerfd, fd) < 0)
			return scute_err_sys(err, "dup the pty to fd %d", fd);
	if (peerfd > 2)
		close(peerfd);
	return 0;
}
