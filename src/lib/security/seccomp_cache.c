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

#include <nettle/sha2.h>

#include "cleanup.h"
#include "fsutil.h"
#include "log.h"

#define CACHE_MAGIC "SCUTEBPF"
#define CACHE_VERSION 2 /* 2: SHA-256 key and checksum */

struct cache_header {
	char magic[8];
	uint32_t version;
	uint32_t flags; /* SECCOMP_FILTER_FLAG_* */
	uint32_t exec_guard;
	uint32_t len;			      /* instructions */
	uint8_t key[SHA256_DIGEST_SIZE];      /* the key, again */
	uint8_t checksum[SHA256_DIGEST_SIZE]; /* of the instructions */
};

static void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

/* SHA-256 of the section's canonical text and of what the compiled filter
 * depends on besides it: a name no other section can be made to share. */
static void cache_key(const struct scute_seccomp *sc, uint8_t key[SHA256_DIGEST_SIZE])
{
	const struct scmp_version *v = seccomp_version();
	struct sha256_ctx ctx;
	char env[512];
	struct utsname u;

	uname(&u);
	snprintf(env, sizeof(env), "%s|%s|%s|libseccomp %u.%u.%u|scute %s", u.machine, u.release,
		 u.version, v->major, v->minor, v->micro, SCUTE_VERSION);
	sha256_init(&ctx);
	/* Both parts with their NULs: the boundary between them is fixed. */
	sha256_update(&ctx, strlen(env) + 1, (const uint8_t *)env);
	sha256_update(&ctx, strlen(sc->canonical) + 1, (const uint8_t *)sc->canonical);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, key);
}

static int open_cache_dir(int rootfd, struct scute_err *err)
{
	int fd;

	if (mkdirat(rootfd, "seccomp-cache", 0700) < 0 && errno != EEXIST)
		return scute_err_sys(err, "create the seccomp cache");
	fd = openat(rootfd, "seccomp-cache", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return scute_err_sys(err, "open the seccomp cache");
	return fd;
}

/* 1: loaded; 0: no usable entry (missing, or corrupt and removed). */
static int load_entry(int dirfd, const char *name, const uint8_t *key, struct scute_bpf *out)
{
	uint8_t sum[SHA256_DIGEST_SIZE];
	struct cache_header h;
	struct stat st;
	auto_fd int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(h) ||
	    pread(fd, &h, sizeof(h), 0) != sizeof(h) || memcmp(h.magic, CACHE_MAGIC, 8) ||
	    h.version != CACHE_VERSION || memcmp(h.key, key, SHA256_DIGEST_SIZE) || h.len == 0 ||
	    h.len > BPF_MAXINSNS ||
	    st.st_size != (off_t)(sizeof(h) + h.len * sizeof(struct sock_filter)))
		goto corrupt;
	out->insns = malloc(h.len * sizeof(struct sock_filter));
	bool whole = out->insns &&
		     pread(fd, out->insns, h.len * sizeof(struct sock_filter), sizeof(h)) ==
			     (ssize_t)(h.len * sizeof(struct sock_filter));
	if (whole)
		sha256(out->insns, h.len * sizeof(struct sock_filter), sum);
	if (!whole || memcmp(sum, h.checksum, SHA256_DIGEST_SIZE)) {
		free(out->insns);
		out->insns = NULL;
		goto corrupt;
	}
	out->len = (unsigned short)h.len;
	out->flags = h.flags;
	out->exec_guard = h.exec_guard != 0;
	return 1;
corrupt:
	scute_debug("seccomp cache: %s is damaged; rebuilding it", name);
	unlinkat(dirfd, name, 0);
	return 0;
}

/* Keep the cache bounded: past the limit, the least recently written go. */
static void trim(int dirfd)
{
	char names[SCUTE_SECCOMP_CACHE_MAX * 2][NAME_MAX + 1];
	time_t times[SCUTE_SECCOMP_CACHE_MAX * 2];
	int n = 0;
	/* The dup belongs to the DIR once fdopendir succeeds; until then it
	 * is closed here (it leaked when fdopendir failed). */
	auto_fd int dup = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	auto_closedir DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
	struct dirent *e;

	if (d)
		(void)scute_take_fd(&dup);
	struct stat st;

	while (d && (e = readdir(d)) && n < SCUTE_SECCOMP_CACHE_MAX * 2) {
		if (e->d_name[0] == '.' || fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		snprintf(names[n], sizeof(names[n]), "%s", e->d_name);
		times[n++] = st.st_mtime;
	}
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

static void store_entry(int dirfd, const char *name, const uint8_t *key,
			const struct scute_bpf *bpf)
{
	size_t body = bpf->len * sizeof(struct sock_filter);
	struct cache_header h = { .version = CACHE_VERSION,
				  .flags = bpf->flags,
				  .exec_guard = bpf->exec_guard,
				  .len = bpf->len };
	struct scute_err ignored;
	auto_free char *data = malloc(sizeof(h) + body);

	if (!data)
		return;
	memcpy(h.magic, CACHE_MAGIC, 8);
	memcpy(h.key, key, SHA256_DIGEST_SIZE);
	sha256(bpf->insns, body, h.checksum);
	memcpy(data, &h, sizeof(h));
	memcpy(data + sizeof(h), bpf->insns, body);
	/* A cache that cannot be written only costs time. */
	if (scute_write_file_atomic(dirfd, name, data, sizeof(h) + body, &ignored) < 0)
		scute_debug("seccomp cache: %s", ignored.msg);
	/* auto_free (cleanup.h); clang-tidy 14 does not run cleanups */
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
	trim(dirfd);
}

int scute_seccomp_compile_cached_at(const struct scute_seccomp *sc, int rootfd,
				    struct scute_bpf *out, struct scute_err *err)
{
	uint8_t key[SHA256_DIGEST_SIZE];
	char name[2 * SHA256_DIGEST_SIZE + 8];
	auto_fd int dirfd = -1;
	int rc;

	cache_key(sc, key);
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		name[2 * i] = hex[key[i] >> 4];
		name[2 * i + 1] = hex[key[i] & 15];
	}
	memcpy(name + (size_t)2 * SHA256_DIGEST_SIZE, ".bpf", sizeof(".bpf"));
	dirfd = open_cache_dir(rootfd, err);
	if (dirfd < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	if (load_entry(dirfd, name, key, out)) {
		scute_debug("seccomp cache: hit %s", name);
		return 0;
	}
	scute_debug("seccomp cache: miss %s", name);
	rc = scute_seccomp_compile(sc, out, err);
	if (rc == 0)
		store_entry(dirfd, name, key, out);
	return rc;
}
