#include "seccomp_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"

#define CACHE_MAGIC "SCUTEBPF"
#define CACHE_VERSION 1

struct cache_header {
	char magic[8];
	uint32_t version;
	uint32_t flags; /* SECCOMP_FILTER_FLAG_* */
	uint32_t exec_guard;
	uint32_t len;	   /* instructions */
	uint64_t key[2];   /* the key's hashes, again */
	uint64_t checksum; /* of the instructions */
};

/* Two independent 64-bit FNV-1a hashes make a 128-bit name. */
static uint64_t fnv1a(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void cache_key(const struct scute_seccomp *sc, uint64_t key[2])
{
	const struct scmp_version *v = seccomp_version();
	char env[512];
	struct utsname u;

	uname(&u);
	snprintf(env, sizeof(env), "%s|%s|%s|libseccomp %u.%u.%u|scute %s", u.machine, u.release,
		 u.version, v->major, v->minor, v->micro, SCUTE_VERSION);
	key[0] = fnv1a(sc->canonical, strlen(sc->canonical), 0xcbf29ce484222325ULL);
	key[0] = fnv1a(env, strlen(env), key[0]);
	key[1] = fnv1a(env, strlen(env), 0x84222325cbf29ce4ULL);
	key[1] = fnv1a(sc->canonical, strlen(sc->canonical), key[1]);
}

static int open_cache_dir(const char *root, struct scute_err *err)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/seccomp-cache", root);
	if (scute_mkdir_p(path, 0700, err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return scute_err_sys(err, "open %s", path);
	return fd;
}

/* 1: loaded; 0: no usable entry (missing, or corrupt and removed). */
static int load_entry(int dirfd, const char *name, const uint64_t key[2], struct scute_bpf *out)
{
	struct cache_header h;
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(h) ||
	    pread(fd, &h, sizeof(h), 0) != sizeof(h) || memcmp(h.magic, CACHE_MAGIC, 8) ||
	    h.version != CACHE_VERSION || h.key[0] != key[0] || h.key[1] != key[1] || h.len == 0 ||
	    h.len > BPF_MAXINSNS ||
	    st.st_size != (off_t)(sizeof(h) + h.len * sizeof(struct sock_filter)))
		goto corrupt;
	out->insns = malloc(h.len * sizeof(struct sock_filter));
	if (!out->insns ||
	    pread(fd, out->insns, h.len * sizeof(struct sock_filter), sizeof(h)) !=
		    (ssize_t)(h.len * sizeof(struct sock_filter)) ||
	    fnv1a(out->insns, h.len * sizeof(struct sock_filter), 0xcbf29ce484222325ULL) !=
		    h.checksum) {
		free(out->insns);
		out->insns = NULL;
		goto corrupt;
	}
	out->len = (unsigned short)h.len;
	out->flags = h.flags;
	out->exec_guard = h.exec_guard != 0;
	close(fd);
	return 1;
corrupt:
	close(fd);
	scute_debug("seccomp cache: %s is damaged; rebuilding it", name);
	unlinkat(dirfd, name, 0);
	return 0;
}

/* Keep the cache bounded: past the limit, the least recently written go. */
static void trim(int dirfd)
{
	char names[SCUTE_SECCOMP_CACHE_MAX * 2][64];
	time_t times[SCUTE_SECCOMP_CACHE_MAX * 2];
	int n = 0, dup = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
	struct dirent *e;
	struct stat st;

	while (d && (e = readdir(d)) && n < SCUTE_SECCOMP_CACHE_MAX * 2) {
		if (e->d_name[0] == '.' || fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		snprintf(names[n], sizeof(names[n]), "%s", e->d_name);
		times[n++] = st.st_mtime;
	}
	if (d)
		closedir(d);
	while (n > SCUTE_SECCOMP_CACHE_MAX) {
		int oldest = 0;
		for (int i = 1; i < n; i++)
			if (times[i] < times[oldest])
				oldest = i;
		unlinkat(dirfd, names[oldest], 0);
		times[oldest] = times[n - 1];
		memcpy(names[oldest], names[n - 1], sizeof(names[0]));
		n--;
	}
}

static void store_entry(int dirfd, const char *name, const uint64_t key[2],
			const struct scute_bpf *bpf)
{
	size_t body = bpf->len * sizeof(struct sock_filter);
	struct cache_header h = { .version = CACHE_VERSION,
				  .flags = bpf->flags,
				  .exec_guard = bpf->exec_guard,
				  .len = bpf->len,
				  .key = { key[0], key[1] },
				  .checksum = fnv1a(bpf->insns, body, 0xcbf29ce484222325ULL) };
	struct scute_err ignored;
	char *data = malloc(sizeof(h) + body);

	if (!data)
		return;
	memcpy(h.magic, CACHE_MAGIC, 8);
	memcpy(data, &h, sizeof(h));
	memcpy(data + sizeof(h), bpf->insns, body);
	/* A cache that cannot be written only costs time. */
	if (scute_write_file_atomic(dirfd, name, data, sizeof(h) + body, &ignored) < 0)
		scute_debug("seccomp cache: %s", ignored.msg);
	free(data);
	trim(dirfd);
}

int scute_seccomp_compile_cached(const struct scute_seccomp *sc, const char *root,
				 struct scute_bpf *out, struct scute_err *err)
{
	uint64_t key[2];
	char name[64];
	int dirfd, rc;

	cache_key(sc, key);
	snprintf(name, sizeof(name), "%016llx%016llx.bpf", (unsigned long long)key[0],
		 (unsigned long long)key[1]);
	dirfd = open_cache_dir(root, err);
	if (dirfd < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	if (load_entry(dirfd, name, key, out)) {
		scute_debug("seccomp cache: hit %s", name);
		close(dirfd);
		return 0;
	}
	scute_debug("seccomp cache: miss %s", name);
	rc = scute_seccomp_compile(sc, out, err);
	if (rc == 0)
		store_entry(dirfd, name, key, out);
	close(dirfd);
	return rc;
}
