/* probe: a static helper run inside test containers; it reports what the
 * container's process sees so integration tests can assert on it.
 *
 *   probe status        capability sets, NoNewPrivs, Seccomp of itself
 *   probe fds           the fds it holds beyond stdio (target of each; the
 *                       type of each when there is no /proc)
 *   probe cwd           its working directory, or the error getcwd gives
 *   probe exe-attack [SECONDS]
 *                       for every visible process, opens /proc/PID/exe with
 *                       O_PATH, waits, and reopens it for writing through
 *                       /proc/self/fd (the CVE-2019-5736 attack), then
 *                       writes its first byte back unchanged; prints
 *                       "writable PID" for each success and exits 1 if
 *                       any, else "refused PID ERRNO" lines and exits 0
 *   probe write PATH    tries to write to PATH; prints "ok" or the errno name
 *   probe openw PATH    only opens PATH for writing (never writes: the
 *                       targets are files like /proc/sysrq-trigger)
 *   probe forks N       forks up to N children that wait; prints how many
 *                       started and, if fewer, the errno of the failure
 *   probe read PATH     tries to read PATH; prints "ok N" or the errno name
 *   probe keyring       the serial of its session keyring
 *   probe chroot-escape DIR PATH
 *                       the double-chroot escape: chroot into DIR (made if
 *                       missing) keeping the cwd outside it, walk ".." up,
 *                       chroot("."), then reads PATH as `read` does; the
 *                       errno name of the first step that failed otherwise
 *   probe sys NAME [ARG]
 *                       makes one system call and prints "ok" or its errno
 *                       name: unshare FLAGS, clone FLAGS, clone3, mount,
 *                       keyctl, ptrace, personality N, getpid, mkdir PATH,
 *                       getpid-i386 (int 0x80), getpid-x32, init_module,
 *                       finit_module, delete_module, reboot (CAD off; in
 *                       a pid namespace at worst EINVAL), clock_settime and
 *                       settimeofday (to the time just read), raw-socket,
 *                       packet-socket, ptrace-attach PID (detaches at once)
 *   probe seccomp-agent SOCKET OUT
 *                       (on the host) a seccomp notification agent: takes
 *                       the listener and state from SOCKET, writes the state
 *                       and "syscall NAME" of the first notification to OUT,
 *                       and answers it with EPERM
 *   probe exe-watch SECONDS
 *                       for up to SECONDS, watches for a new process whose
 *                       /proc/PID/exe is the runtime's sealed image (a
 *                       memfd, or a file of a read-only overlay: a runtime
 *                       on its way to exec), holds it with O_PATH, waits until that
 *                       process has exec'd, then tries the write as
 *                       exe-attack does; "none" if nothing came
 *   probe seccomp-hold SOCKET OUT SECONDS
 *                       (on the host) a seccomp agent for listenerPath: the
 *                       first listener's notifications are let through at
 *                       once; the second's (an exec'd process) after
 *                       SECONDS, "held PID" written to OUT meanwhile (later
 *                       ones, as a restarted call, at once)
 *   probe exec PATH     execve(PATH) with no arguments; prints the errno
 *                       name if that fails
 *   probe bind PORT     binds a TCP socket to PORT; prints "ok" or the errno
 *   probe kill PID      kill(PID, 0); prints "ok" or the errno name
 *   probe trace-new SECONDS cont|hold|stop
 *                       the CVE-2016-9962 attacker: for SECONDS, every new
 *                       process is SIGSTOPped at once, ptrace-attached, its
 *                       capabilities read ("gained PID MASK" when beyond
 *                       the probe's own bounding set), fds 3..64 taken with
 *                       pidfd_getfd and its /proc/PID/fd links read
 *                       ("hostfd PID FD TARGET" for anything but a pipe, a
 *                       socket, /dev/null or a pty); "saw PID" per process.
 *                       cont: then detaches and continues it; hold: the
 *                       same, but keeps the stolen fds; stop: leaves it
 *                       stopped and keeps the stolen fds. "done" at the end
 *   probe recvtty SOCKET OUT
 *                       (on the host) the engine's side of --console-socket:
 *                       listens on SOCKET, takes the pty master sent over it,
 *                       copies what the container writes to OUT until EOF
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <linux/reboot.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int status(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return perror("status"), 2;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10) ||
		    !strncmp(line, "Seccomp:", 8) || !strncmp(line, "Uid:", 4) ||
		    !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7))
			fputs(line, stdout);
	fclose(f);
	return 0;
}

static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], target[512];

	/* No /proc (a container without a mount namespace): every fd number
	 * up to 4096 is tried, named by its type. */
	if (!d && errno == ENOENT) {
		struct stat st;
		for (int fd = 3; fd < 4096; fd++)
			if (fstat(fd, &st) == 0)
				printf("%d type=%o\n", fd, (unsigned)(st.st_mode & S_IFMT));
		return 0;
	}
	if (!d)
		return perror("fds"), 2;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		printf("%d %s\n", fd, target);
	}
	closedir(d);
	return 0;
}

static int cwd(void)
{
	char buf[4096];

	if (!getcwd(buf, sizeof(buf)))
		return printf("error %s\n", strerrorname_np(errno)), 1;
	printf("%s\n", buf);
	return 0;
}

static int exe_attack(int delay)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300];
	int handles[256], pids[256], n = 0, hits = 0;

	if (!d)
		return perror("/proc"), 2;
	/* The 2019 attack: an O_PATH handle now... */
	while ((e = readdir(d)) && n < 256) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9' || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/exe", e->d_name);
		int o = open(path, O_PATH);
		if (o < 0) {
			printf("refused %s %s\n", e->d_name, strerrorname_np(errno));
			continue;
		}
		pids[n] = atoi(e->d_name);
		handles[n++] = o;
	}
	closedir(d);
	/* ...reopened for writing once the runtime no longer runs it. */
	sleep((unsigned)delay);
	for (int i = 0; i < n; i++) {
		char first;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", handles[i]);
		int w = open(path, O_RDWR);
		/* Writing back the byte that is there changes nothing even when
		 * the attack works, yet proves the write would land. */
		if (w >= 0 && pread(w, &first, 1, 0) == 1 && pwrite(w, &first, 1, 0) == 1) {
			printf("writable %d\n", pids[i]);
			hits++;
		} else {
			printf("refused %d %s\n", pids[i], strerrorname_np(errno));
		}
		if (w >= 0)
			close(w);
		close(handles[i]);
	}
	return hits ? 1 : 0;
}

/* Reopen an O_PATH handle of an exe for writing, as exe_attack does. */
static int write_through(int handle, int pid)
{
	char path[64], first;
	int w, hit = 0;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", handle);
	/* While a runtime process still runs the image, the open fails with
	 * ETXTBSY; the attack waits for them to be gone. */
	for (int i = 0; (w = open(path, O_RDWR)) < 0 && errno == ETXTBSY && i < 500; i++)
		usleep(10000);
	if (w >= 0 && pread(w, &first, 1, 0) == 1 && pwrite(w, &first, 1, 0) == 1) {
		printf("writable %d\n", pid);
		hit = 1;
	} else {
		printf("refused %d %s\n", pid, strerrorname_np(errno));
	}
	if (w >= 0)
		close(w);
	return hit;
}

/* Whether /proc/PID/exe (`path`) is the runtime's sealed image: a memfd,
 * or a file on a read-only overlay (the container's own files are not). */
static bool runtime_image(const char *path)
{
	char target[300];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	struct statfs sf;

	if (n < 0)
		return false;
	target[n] = '\0';
	if (strncmp(target, "/memfd:", 7) == 0)
		return true;
	return statfs(path, &sf) == 0 && sf.f_type == 0x794c7630 && (sf.f_flags & ST_RDONLY);
}

static int exe_watch(int seconds)
{
	char path[300];
	time_t end = time(NULL) + seconds;

	while (time(NULL) < end) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			int pid = atoi(e->d_name);
			if (pid <= 0 || pid == getpid())
				continue;
			snprintf(path, sizeof(path), "/proc/%d/exe", pid);
			if (!runtime_image(path))
				continue;
			int o = open(path, O_PATH);
			if (o < 0) {
				printf("refused %d %s\n", pid, strerrorname_np(errno));
				closedir(d);
				return 0;
			}
			/* Until it has exec'd, nothing runs the runtime's image. */
			for (int i = 0; i < 1000 && runtime_image(path); i++)
				usleep(10000);
			int hit = write_through(o, pid);
			close(o);
			closedir(d);
			return hit;
		}
		if (d)
			closedir(d);
		usleep(2000);
	}
	return printf("none\n"), 2;
}

/* Receive a listener (and its state) on a new connection to lfd. */
static int take_listener(int lfd)
{
	char buf[8192], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	int conn = accept(lfd, NULL, NULL), fd = -1;

	if (conn >= 0 && recvmsg(conn, &msg, 0) >= 0 && CMSG_FIRSTHDR(&msg))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	if (conn >= 0)
		close(conn);
	return fd;
}

static int let_through(int listener, int delay, const char *out)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return -1;
	if (delay) {
		FILE *f = fopen(out, "w");
		if (f) {
			fprintf(f, "held %u\n", req.pid);
			fclose(f);
		}
		sleep((unsigned)delay);
	}
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return 0;
}

static int seccomp_hold(const char *sock, const char *out, int delay)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int lfd, first, second;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 2) < 0)
		return perror("seccomp-hold: listen"), 2;
	/* The init's exec, at start. */
	first = take_listener(lfd);
	if (first < 0)
		return perror("seccomp-hold: first listener"), 2;
	let_through(first, 0, out);
	/* The exec'd process's own execve: held. */
	second = take_listener(lfd);
	if (second < 0)
		return perror("seccomp-hold: second listener"), 2;
	/* ENOENT: the call was interrupted (a stopped process) before we took
	 * it; it comes again. */
	while (let_through(second, delay, out) < 0 && errno == ENOENT)
		;
	/* A call interrupted by a signal (a stopped process) comes again:
	 * let those through at once, until the process is gone. */
	while (let_through(second, 0, out) == 0)
		;
	return 0;
}

static int try_write(const char *p)
{
	int fd = open(p, O_WRONLY | O_CREAT, 0644);

	if (fd < 0 || write(fd, "x", 1) != 1)
		return printf("%s\n", strerrorname_np(errno)), 1;
	close(fd);
	return printf("ok\n"), 0;
}

static int try_open_write(const char *p)
{
	int fd = open(p, O_WRONLY);

	if (fd < 0)
		return printf("%s\n", strerrorname_np(errno)), 1;
	close(fd);
	return printf("ok\n"), 0;
}

/* Children that wait for their parent to go (then the container's end
 * takes them all). */
static int forks(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			pause();
			_exit(0);
		}
		if (pid < 0) {
			printf("%d %s\n", i, strerrorname_np(errno));
			return 1;
		}
	}
	printf("%d\n", i);
	return 0;
}

static int try_read(const char *p)
{
	char buf[4096];
	ssize_t n, total = 0;
	int fd = open(p, O_RDONLY);

	if (fd < 0)
		return printf("%s\n", strerrorname_np(errno)), 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (n < 0)
		return printf("%s\n", strerrorname_np(errno)), 1;
	close(fd);
	return printf("ok %zd\n", total), 0;
}

static int keyring(void)
{
	/* KEYCTL_GET_KEYRING_ID (0) of KEY_SPEC_SESSION_KEYRING (-3), no create. */
	long id = syscall(SYS_keyctl, 0, -3, 0);

	if (id < 0)
		return printf("%s\n", strerrorname_np(errno)), 1;
	return printf("%ld\n", id), 0;
}

static int recvtty(const char *sock, const char *out)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char buf[4096], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	int lfd, conn, master, ofd;
	ssize_t n;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0)
		return perror("recvtty: listen"), 2;
	conn = accept(lfd, NULL, NULL);
	if (conn < 0 || recvmsg(conn, &msg, 0) < 0 || !CMSG_FIRSTHDR(&msg))
		return perror("recvtty: receive"), 2;
	memcpy(&master, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (ofd < 0)
		return perror(out), 2;
	/* Read until the last holder of the peer closes it (EIO). */
	while ((n = read(master, buf, sizeof(buf))) > 0)
		if (write(ofd, buf, (size_t)n) != n)
			return 2;
	close(ofd);
	return 0;
}

static long i386_getpid(void)
{
	long ret;
	/* The i386 entry point: int 0x80 with eax = 20 (getpid there). */
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20) : "memory");
	return ret;
}

/* Calls a container must never get to make with scute's defaults. */
static long privileged_syscall(const char *name, unsigned long a)
{
	struct timespec now;
	struct timeval tv;
	long r;

	if (!strcmp(name, "init_module"))
		return syscall(SYS_init_module, NULL, 0, "");
	if (!strcmp(name, "finit_module"))
		return syscall(SYS_finit_module, -1, "", 0);
	if (!strcmp(name, "delete_module"))
		return syscall(SYS_delete_module, "scute_no_such_module", 0);
	if (!strcmp(name, "reboot"))
		return syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			       LINUX_REBOOT_CMD_CAD_OFF, NULL);
	if (!strcmp(name, "clock_settime"))
		return clock_gettime(CLOCK_REALTIME, &now) < 0
			       ? -1
			       : clock_settime(CLOCK_REALTIME, &now);
	if (!strcmp(name, "settimeofday"))
		return gettimeofday(&tv, NULL) < 0 ? -1 : settimeofday(&tv, NULL);
	if (!strcmp(name, "raw-socket"))
		return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (!strcmp(name, "packet-socket"))
		return socket(AF_PACKET, SOCK_RAW, 0);
	if (!strcmp(name, "ptrace-attach")) {
		r = syscall(SYS_ptrace, PTRACE_ATTACH, (pid_t)a, 0, 0);
		if (r == 0)
			syscall(SYS_ptrace, PTRACE_DETACH, (pid_t)a, 0, 0);
		return r;
	}
	errno = EINVAL;
	return -2;
}

static long raw_syscall(const char *name, const char *arg)
{
	unsigned long a = arg ? strtoul(arg, NULL, 0) : 0;

	if (!strcmp(name, "unshare"))
		return syscall(SYS_unshare, a);
	if (!strcmp(name, "clone")) {
		long pid = syscall(SYS_clone, a | 17 /* SIGCHLD */, 0, 0, 0, 0);
		if (pid == 0)
			_exit(0);
		return pid < 0 ? pid : 0;
	}
	if (!strcmp(name, "clone3")) {
		unsigned long long args[11] = { 0 };
		args[4] = 17; /* exit_signal */
		long pid = syscall(435, args, sizeof(args));
		if (pid == 0)
			_exit(0);
		return pid < 0 ? pid : 0;
	}
	if (!strcmp(name, "mount"))
		return syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, 0);
	if (!strcmp(name, "keyctl"))
		return syscall(SYS_keyctl, 0, -3, 0);
	if (!strcmp(name, "ptrace"))
		return syscall(SYS_ptrace, 0 /* TRACEME */, 0, 0, 0);
	if (!strcmp(name, "personality"))
		return syscall(SYS_personality, a);
	if (!strcmp(name, "getpid"))
		return syscall(SYS_getpid);
	if (!strcmp(name, "mkdir"))
		return syscall(SYS_mkdir, arg, 0755);
	if (!strcmp(name, "getpid-i386")) {
		long r = i386_getpid();
		if (r < 0 && r > -4096) {
			errno = (int)-r;
			return -1;
		}
		return r;
	}
	if (!strcmp(name, "getpid-x32"))
		return syscall(39 | 0x40000000);
	return privileged_syscall(name, a);
}

static int sys(const char *name, const char *arg)
{
	long r = raw_syscall(name, arg);

	if (r == -2)
		return fprintf(stderr, "probe: unknown call %s\n", name), 2;
	if (r < 0)
		return printf("%s\n", strerrorname_np(errno)), 1;
	return printf("ok\n"), 0;
}

static int seccomp_agent(const char *sock, const char *out)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char buf[8192], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int lfd, conn, listener;
	ssize_t n;
	FILE *f;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0)
		return perror("seccomp-agent: listen"), 2;
	conn = accept(lfd, NULL, NULL);
	if (conn < 0 || (n = recvmsg(conn, &msg, 0)) < 0 || !CMSG_FIRSTHDR(&msg))
		return perror("seccomp-agent: receive"), 2;
	buf[n] = '\0';
	memcpy(&listener, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	f = fopen(out, "w");
	if (!f)
		return perror(out), 2;
	fprintf(f, "%s\n", buf);
	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		fclose(f);
		return perror("seccomp-agent: NOTIF_RECV"), 2;
	}
	fprintf(f, "syscall %s\n", req.data.nr == SYS_mkdir ? "mkdir" : "other");
	fclose(f);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.error = -EPERM;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return perror("seccomp-agent: NOTIF_SEND"), 2;
	return 0;
}

static int try_exec(const char *path)
{
	char *const argv[] = { (char *)path, NULL }, *const envp[] = { NULL };

	execve(path, argv, envp);
	return printf("%s\n", strerrorname_np(errno)), 1;
}

static int chroot_escape(const char *dir, const char *path)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return printf("mkdir %s\n", strerrorname_np(errno)), 1;
	if (chroot(dir) < 0)
		return printf("chroot %s\n", strerrorname_np(errno)), 1;
	/* The cwd is still outside the new root: ".." is not stopped there. */
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			return printf("chdir %s\n", strerrorname_np(errno)), 1;
	if (chroot(".") < 0)
		return printf("chroot %s\n", strerrorname_np(errno)), 1;
	return try_read(path);
}

static int try_bind(int port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return printf("%s\n", strerrorname_np(errno)), 1;
	close(fd);
	return printf("ok\n"), 0;
}

static int try_kill(pid_t pid)
{
	if (kill(pid, 0) < 0)
		return printf("%s\n", strerrorname_np(errno)), 1;
	return printf("ok\n"), 0;
}

static unsigned long long cap_of(pid_t pid, const char *field)
{
	char path[64], line[256];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = strtoull(line + strlen(field), NULL, 16);
	if (f)
		fclose(f);
	return v;
}

/* What a stolen or visible fd leads to: the container may have pipes,
 * sockets, /dev/null and ptys; anything else is the runtime's. */
static void report_fd(const char *kind, pid_t pid, int fd, const char *target)
{
	bool fine = !strncmp(target, "pipe:", 5) || !strncmp(target, "socket:", 7) ||
		    !strcmp(target, "/dev/null") || !strncmp(target, "/dev/pts/", 9);

	printf("%s %d %d %s\n", fine ? kind : "hostfd", pid, fd, target);
}

static void inspect(pid_t pid, unsigned long long bounding, bool keep, bool stop)
{
	char path[300], target[512];
	int pidfd, attached;
	struct dirent *e;
	DIR *d;

	kill(pid, SIGSTOP);
	/* Attached and in a ptrace-stop, so that it can be let go again. */
	attached = ptrace(PTRACE_SEIZE, pid, 0, 0) == 0 &&
		   ptrace(PTRACE_INTERRUPT, pid, 0, 0) == 0 && waitpid(pid, NULL, __WALL) == pid;
	printf("saw %d%s\n", pid, attached ? " attached" : "");
	unsigned long long caps = cap_of(pid, "CapEff:") | cap_of(pid, "CapPrm:");
	if (caps & ~bounding)
		printf("gained %d %llx\n", pid, caps);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (int fd = 3; fd <= 64 && pidfd >= 0; fd++) {
		int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		if (got < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", got);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		report_fd("stole", pid, fd, target);
		if (!keep)
			close(got);
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (atoi(e->d_name) <= 2)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, e->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		report_fd("fd", pid, atoi(e->d_name), target);
	}
	if (d)
		closedir(d);
	if (pidfd >= 0 && !keep)
		close(pidfd);
	if (!stop) {
		if (attached)
			ptrace(PTRACE_DETACH, pid, 0, 0);
		kill(pid, SIGCONT);
	}
}

static int trace_new(int seconds, const char *mode)
{
	static char seen[1 << 22];
	unsigned long long bounding = cap_of(getpid(), "CapBnd:");
	time_t end = time(NULL) + seconds;
	bool first = true;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (time(NULL) < end) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			int pid = atoi(e->d_name);
			if (pid <= 0 || pid >= (int)sizeof(seen) || seen[pid])
				continue;
			seen[pid] = 1;
			if (!first && pid != getpid())
				inspect(pid, bounding, strcmp(mode, "cont") != 0,
					!strcmp(mode, "stop"));
		}
		if (d)
			closedir(d);
		first = false;
	}
	printf("done\n");
	return 0;
}

/* One process of our pid namespace, given by pid: what trace-new does
 * to each new one (stop, attach, steal its fds), then let it go. */
static int inspect_one(pid_t pid)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	inspect(pid, cap_of(getpid(), "CapBnd:"), false, false);
	printf("done\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "inspect"))
		return inspect_one((pid_t)atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "trace-new"))
		return trace_new(atoi(argv[2]), argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "exe-watch"))
		return exe_watch(atoi(argv[2]));
	if (argc >= 5 && !strcmp(argv[1], "seccomp-hold"))
		return seccomp_hold(argv[2], argv[3], atoi(argv[4]));
	if (argc >= 3 && !strcmp(argv[1], "exec"))
		return try_exec(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "bind"))
		return try_bind(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "kill"))
		return try_kill((pid_t)atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "seccomp-agent"))
		return seccomp_agent(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "sys"))
		return sys(argv[2], argc >= 4 ? argv[3] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "recvtty"))
		return recvtty(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "chroot-escape"))
		return chroot_escape(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "keyring"))
		return keyring();
	if (argc >= 2 && !strcmp(argv[1], "status"))
		return status();
	if (argc >= 2 && !strcmp(argv[1], "fds"))
		return fds();
	if (argc >= 2 && !strcmp(argv[1], "cwd"))
		return cwd();
	if (argc >= 2 && !strcmp(argv[1], "exe-attack"))
		return exe_attack(argc >= 3 ? atoi(argv[2]) : 0);
	if (argc >= 3 && !strcmp(argv[1], "openw"))
		return try_open_write(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "forks"))
		return forks(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "write"))
		return try_write(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "read"))
		return try_read(argv[2]);
	fprintf(stderr, "usage: probe status|fds|cwd|exe-attack|write PATH|read PATH\n");
	return 2;
}
