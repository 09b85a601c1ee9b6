/* registry-client: the registry client (src/engine/registry) from the
 * command line, for tests/integration/registry_client.bats only.
 *
 *   registry-client [OPTIONS] DOMAIN COMMAND ARGS...
 *     manifest REPO REF [DIGEST]   print "DIGEST MEDIA_TYPE LEN", the body to --out
 *     blob REPO DIGEST SIZE        the blob to stdout
 *     parallel REPO DIGEST SIZE N  fetch the blob from N threads at once, print its sha256 each
 *     exists REPO DIGEST           print 1 or 0
 *     push-blob REPO FILE          push FILE, print its digest
 *     put-manifest REPO REF MEDIA_TYPE FILE
 *     login USER PASSWORD          check, then store in --config
 *     logout                       erase from --config
 *   OPTIONS: --certs-dir DIR, --insecure ENTRY (repeatable), --config FILE,
 *            --stall-timeout SECS, --out FILE
 *
 * An error prints "[ERRNO-NAME] message" on stderr and exits 1. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"
#include "registry.h"

struct opts {
	struct scute_registry_opts ro;
	const char *insecure[16];
	const char *out;
};

static int fail(const struct scute_err *err)
{
	fprintf(stderr, "[%s] %s\n", strerrorname_np(err->code) ? strerrorname_np(err->code) : "?",
		err->msg);
	return 1;
}

static int to_fd(void *arg, const void *buf, size_t len, struct scute_err *err)
{
	if (write(*(int *)arg, buf, len) != (ssize_t)len)
		return scute_err_sys(err, "write");
	return 0;
}

static int to_hash(void *arg, const void *buf, size_t len, struct scute_err *err)
{
	(void)err;
	sha256_update(arg, len, buf);
	return 0;
}

static int cmd_manifest(struct scute_registry *r, const struct opts *o, char **argv, int argc)
{
	struct scute_err err = { 0 };
	struct scute_digest expect, got;
	char *body, *mt;
	size_t len;

	if (argc < 2)
		return 2;
	if (argc > 2 && scute_digest_parse(argv[2], &expect, &err) < 0)
		return fail(&err);
	if (scute_registry_get_manifest(r, argv[0], argv[1], argc > 2 ? &expect : NULL, &body, &len,
					&mt, &got, &err) < 0)
		return fail(&err);
	printf("%s %s %zu\n", got.str, mt ? mt : "-", len);
	if (o->out) {
		FILE *f = fopen(o->out, "we");
		bool ok = f && fwrite(body, 1, len, f) == len;

		if (f && fclose(f) != 0)
			ok = false;
		if (!ok)
			return perror(o->out), 1;
	}
	free(body);
	free(mt);
	return 0;
}

static int parse_blob_args(char **argv, struct scute_digest *d, int64_t *size)
{
	struct scute_err err = { 0 };

	if (scute_digest_parse(argv[1], d, &err) < 0 ||
	    scute_parse_int(argv[2], 0, INT64_MAX, size, &err) < 0)
		return fail(&err);
	return 0;
}

static int cmd_blob(struct scute_registry *r, char **argv, int argc)
{
	struct scute_err err = { 0 };
	struct scute_digest d;
	int64_t size;
	int fd = 1;

	if (argc < 3)
		return 2;
	if (parse_blob_args(argv, &d, &size))
		return 1;
	if (scute_registry_get_blob(r, argv[0], &d, size, to_fd, &fd, &err) < 0)
		return fail(&err);
	return 0;
}

struct job {
	struct scute_registry *r;
	const char *repo;
	struct scute_digest d;
	int64_t size;
	struct scute_err err;
	int rc;
	struct scute_digest got;
};

static void *fetch(void *arg)
{
	struct job *j = arg;
	struct sha256_ctx sha;
	uint8_t raw[SCUTE_SHA256_SIZE];

	sha256_init(&sha);
	j->rc = scute_registry_get_blob(j->r, j->repo, &j->d, j->size, to_hash, &sha, &j->err);
	sha256_digest(&sha, sizeof(raw), raw);
	scute_digest_from_sha256(raw, &j->got);
	return NULL;
}

static int cmd_parallel(struct scute_registry *r, char **argv, int argc)
{
	struct job jobs[8];
	pthread_t t[8];
	int64_t n;
	struct scute_err err = { 0 };
	int rc = 0;

	if (argc < 4)
		return 2;
	if (scute_parse_int(argv[3], 1, 8, &n, &err) < 0)
		return fail(&err);
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){ .r = r, .repo = argv[0] };
		if (parse_blob_args(argv, &jobs[i].d, &jobs[i].size))
			return 1;
		pthread_create(&t[i], NULL, fetch, &jobs[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		if (jobs[i].rc < 0)
			rc = fail(&jobs[i].err);
		else
			printf("%s\n", jobs[i].got.str);
	}
	return rc;
}

static int cmd_push_blob(struct scute_registry *r, char **argv, int argc)
{
	struct scute_err err = { 0 };
	struct sha256_ctx sha;
	uint8_t raw[SCUTE_SHA256_SIZE], buf[65536];
	struct scute_digest d;
	struct stat st;
	ssize_t n;
	int fd;

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return perror(argv[1]), 1;
	sha256_init(&sha);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_update(&sha, (size_t)n, buf);
	sha256_digest(&sha, sizeof(raw), raw);
	scute_digest_from_sha256(raw, &d);
	if (scute_registry_push_blob(r, argv[0], &d, st.st_size, fd, &err) < 0)
		return fail(&err);
	close(fd);
	printf("%s\n", d.str);
	return 0;
}

static int cmd_put_manifest(struct scute_registry *r, char **argv, int argc)
{
	struct scute_err err = { 0 };
	char body[1 << 16];
	size_t len;
	FILE *f;

	if (argc < 4)
		return 2;
	f = fopen(argv[3], "re");
	if (!f)
		return perror(argv[3]), 1;
	len = fread(body, 1, sizeof(body), f);
	fclose(f);
	if (scute_registry_put_manifest(r, argv[0], argv[1], argv[2], body, len, &err) < 0)
		return fail(&err);
	return 0;
}

static int cmd_login(struct scute_registry *r, const struct opts *o, char **argv, int argc)
{
	struct scute_err err = { 0 };

	if (argc < 2 || !o->ro.config_path)
		return 2;
	if (scute_registry_login(r, argv[0], argv[1], &err) < 0 ||
	    scute_credentials_store(o->ro.config_path, scute_registry_credentials_key(r), argv[0],
				    argv[1], &err) < 0)
		return fail(&err);
	printf("Login Succeeded\n");
	return 0;
}

static int run(struct scute_registry *r, const struct opts *o, const char *cmd, char **argv,
	       int argc)
{
	struct scute_err err = { 0 };
	struct scute_digest d;
	int rc;

	if (strcmp(cmd, "manifest") == 0)
		return cmd_manifest(r, o, argv, argc);
	if (strcmp(cmd, "blob") == 0)
		return cmd_blob(r, argv, argc);
	if (strcmp(cmd, "parallel") == 0)
		return cmd_parallel(r, argv, argc);
	if (strcmp(cmd, "push-blob") == 0)
		return cmd_push_blob(r, argv, argc);
	if (strcmp(cmd, "put-manifest") == 0)
		return cmd_put_manifest(r, argv, argc);
	if (strcmp(cmd, "login") == 0)
		return cmd_login(r, o, argv, argc);
	if (strcmp(cmd, "logout") == 0 && o->ro.config_path) {
		rc = scute_credentials_erase(o->ro.config_path, scute_registry_credentials_key(r),
					     &err);
		if (rc < 0)
			return fail(&err);
		printf("%s\n", rc ? "Removed" : "Not logged in");
		return 0;
	}
	if (strcmp(cmd, "exists") == 0 && argc >= 2) {
		if (scute_digest_parse(argv[1], &d, &err) < 0 ||
		    (rc = scute_registry_blob_exists(r, argv[0], &d, &err)) < 0)
			return fail(&err);
		printf("%d\n", rc);
		return 0;
	}
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "certs-dir", 1, 0, 'c' },	{ "insecure", 1, 0, 'i' }, { "config", 1, 0, 'f' },
		{ "stall-timeout", 1, 0, 's' }, { "out", 1, 0, 'o' },	   { 0, 0, 0, 0 }
	};
	struct opts o = { .ro = { .insecure = o.insecure } };
	struct scute_err err = { 0 };
	struct scute_registry *r;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'c')
			o.ro.certs_dir = optarg;
		else if (c == 'i' && o.ro.n_insecure < 16)
			o.insecure[o.ro.n_insecure++] = optarg;
		else if (c == 'f')
			o.ro.config_path = optarg;
		else if (c == 's')
			o.ro.stall_timeout = atol(optarg);
		else if (c == 'o')
			o.out = optarg;
		else
			return 2;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: registry-client [OPTIONS] DOMAIN COMMAND ARGS...\n");
		return 2;
	}
	r = scute_registry_open(&o.ro, argv[optind], &err);
	if (!r)
		return fail(&err);
	rc = run(r, &o, argv[optind + 1], argv + optind + 2, argc - optind - 2);
	if (rc == 2)
		fprintf(stderr, "registry-client: bad command or arguments\n");
	scute_registry_close(r);
	return rc;
}
