#include "credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/base64.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "base/cleanup.h"

#define DOCKER_IO_KEY "https://index.docker.io/v1/"
#define FILE_MODE 0600

char *scute_credentials_default_path(struct scute_err *err)
{
	const char *dir = getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME");
	char *path = NULL;
	int n;

	if (!home || !home[0]) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (dir && dir[0])
		n = asprintf(&path, "%s/config.json", dir);
	else if (home && home[0])
		n = asprintf(&path, "%s/.docker/config.json", home);
	else
		return scute_err_set(err, ENOENT, "docker config: no $DOCKER_CONFIG or home"), NULL;
	if (n < 0)
		return scute_err_set(err, ENOMEM, "docker config"), NULL;
	return path;
}

const char *scute_credentials_key(const char *domain)
{
	return strcmp(domain, "docker.io") == 0 ? DOCKER_IO_KEY : domain;
}

/* The file as a JSON object; an empty object when it does not exist. */
static json_t *load(const char *path, struct scute_err *err)
{
	auto_fd int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	json_error_t jerr;
	struct stat st;
	json_t *doc;

	if (fd < 0 && errno == ENOENT)
		return json_object();
	if (fd < 0 || fstat(fd, &st) < 0)
		return scute_err_sys(err, "%s", path), NULL;
	if (!S_ISREG(st.st_mode))
		return scute_err_set(err, EINVAL, "%s: not a regular file", path), NULL;
	if (st.st_size > SCUTE_CREDENTIALS_FILE_MAX)
		return scute_err_set(err, EFBIG, "%s: larger than %d bytes", path,
				     SCUTE_CREDENTIALS_FILE_MAX),
		       NULL;
	doc = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return scute_err_set(err, EINVAL, "%s: line %d: %s", path, jerr.line, jerr.text),
		       NULL;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return scute_err_set(err, EINVAL, "%s: not a JSON object", path), NULL;
	}
	return doc;
}

/* Docker's looser key forms: "https://HOST/v1/", "HOST/path" name HOST. */
static bool key_matches(const char *entry, const char *key)
{
	const char *p = entry;
	size_t kl = strlen(key);

	if (strcmp(entry, key) == 0)
		return true;
	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	return strncmp(p, key, kl) == 0 && (p[kl] == '\0' || p[kl] == '/');
}

static json_t *find_entry(json_t *auths, const char *key, const char **found)
{
	const char *k;
	json_t *v;

	*found = key;
	if ((v = json_object_get(auths, key)))
		return v;
	json_object_foreach(
		auths, k,
		v) if (key_matches(k, strcmp(key, DOCKER_IO_KEY) == 0 ? "index.docker.io" : key))
	{
		*found = k;
		return v;
	}
	return NULL;
}

static int helper_named(json_t *doc, const char *key, const char *path, struct scute_err *err)
{
	json_t *helpers = json_object_get(doc, "credHelpers");
	const char *k, *name = NULL;
	json_t *v;

	json_object_foreach(helpers, k, v) if (key_matches(k, key) && json_is_string(v)) name =
		json_string_value(v);
	if (!name)
		name = json_string_value(json_object_get(doc, "credsStore"));
	if (!name || !name[0])
		return 0;
	return scute_err_set(err, ENOTSUP,
			     "%s: credentials for %s are kept by the credential helper "
			     "docker-credential-%.64s, and credential helpers are not supported "
			     "(remove credsStore/credHelpers, or log in with scute login)",
			     path, key, name);
}

static int decode_auth(const char *b64, char **user, char **password)
{
	struct base64_decode_ctx ctx;
	size_t len = strlen(b64), out_len = BASE64_DECODE_LENGTH(len);
	auto_free char *raw = malloc(out_len + 1);
	char *colon;

	if (!raw)
		return -1;
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &out_len, (uint8_t *)raw, len, b64) ||
	    !base64_decode_final(&ctx))
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return -1;
	raw[out_len] = '\0';
	colon = strchr(raw, ':');
	if (!colon || colon == raw || strlen(raw) != out_len)
		return -1;
	*colon = '\0';
	*user = strdup(raw);
	*password = strdup(colon + 1);
	explicit_bzero(raw, out_len);
	return *user && *password ? 0 : -1;
}

int scute_credentials_lookup(const char *path, const char *key, char **user, char **password,
			     struct scute_err *err)
{
	auto_json json_t *doc = load(path, err);
	const char *found;
	json_t *entry, *auth;

	*user = *password = NULL;
	if (!doc)
		return -1;
	if (helper_named(doc, key, path, err) < 0)
		return -1;
	entry = find_entry(json_object_get(doc, "auths"), key, &found);
	auth = json_object_get(entry, "auth");
	if (!entry || (!auth && json_object_get(entry, "identitytoken")))
		return 0; /* an OAuth refresh token only: anonymous, as without entry */
	if (!json_is_string(auth) || !json_string_value(auth)[0])
		return 0;
	if (decode_auth(json_string_value(auth), user, password) < 0) {
		free(*user);
		free(*password);
		*user = *password = NULL;
		return scute_err_set(err, EINVAL,
				     "%s: auths.\"%.128s\".auth: not base64 of USER:PASSWORD", path,
				     found);
	}
	return 1;
}

/* PATH's directory, made 0700 when missing (docker's ~/.docker). */
static int make_parent(const char *path, struct scute_err *err)
{
	auto_free char *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;

	if (!dir)
		return scute_err_set(err, ENOMEM, "%s", path);
	if (!slash || slash == dir)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return scute_err_sys(err, "mkdir %s", dir);
	return 0;
}

static void unlink_tmp(char **name)
{
	if (*name && (*name)[0])
		unlink(*name);
	free(*name);
}

/* Write DOC over PATH: a temporary file beside it (0600 from the start),
 * synced, renamed; then the directory synced, so a crash leaves the old
 * file or the new one. A symlink at PATH is followed, as docker does. */
static int write_atomic(const char *path, json_t *doc, struct scute_err *err)
{
	char target[PATH_MAX];
	__attribute__((cleanup(unlink_tmp))) char *tmp = NULL;
	auto_fd int fd = -1;
	auto_fd int dfd = -1;
	struct stat st;
	char *slash;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(path, target))
		path = target;
	if (make_parent(path, err) < 0 || asprintf(&tmp, "%s.tmp-XXXXXX", path) < 0)
		return tmp ? -1 : scute_err_set(err, ENOMEM, "%s", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		scute_err_sys(err, "create %s", tmp);
		tmp[0] = '\0';
		return -1;
	}
	if (fchmod(fd, FILE_MODE) < 0)
		return scute_err_sys(err, "chmod %s", tmp);
	if (json_dumpfd(doc, fd, JSON_INDENT(1)) < 0 || write(fd, "\n", 1) != 1)
		return scute_err_sys(err, "write %s", tmp);
	if (fsync(fd) < 0)
		return scute_err_sys(err, "fsync %s", tmp);
	if (rename(tmp, path) < 0)
		return scute_err_sys(err, "rename %s to %s", tmp, path);
	tmp[0] = '\0';
	slash = strrchr(path, '/');
	if (slash) {
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0 || fsync(dfd) < 0)
			return scute_err_sys(err, "fsync %s", dir);
	}
	return 0;
}

int scute_credentials_store(const char *path, const char *key, const char *user,
			    const char *password, struct scute_err *err)
{
	auto_json json_t *doc = NULL;
	auto_free char *basic = NULL;
	json_t *auths;

	if (!user[0] || strchr(user, ':'))
		return scute_err_set(err, EINVAL, "user name \"%.64s\": empty or holds ':'",
				     user[0] ? user : "");
	doc = load(path, err);
	if (!doc)
		return -1;
	auths = json_object_get(doc, "auths");
	if (!auths) {
		auths = json_object();
		if (json_object_set_new(doc, "auths", auths) < 0)
			return scute_err_set(err, ENOMEM, "%s", path);
	}
	if (!json_is_object(auths))
		return scute_err_set(err, EINVAL, "%s: auths: not an object", path);
	/* "Basic " + base64: the encoding docker stores, without the scheme. */
	basic = scute_auth_basic(user, password);
	if (!basic || json_object_set_new(auths, key, json_pack("{ss}", "auth", basic + 6)) < 0)
		return scute_err_set(err, ENOMEM, "%s", path);
	explicit_bzero(basic, strlen(basic));
	return write_atomic(path, doc, err);
}

int scute_credentials_erase(const char *path, const char *key, struct scute_err *err)
{
	auto_json json_t *doc = load(path, err);
	json_t *auths;
	const char *found;

	if (!doc)
		return -1;
	auths = json_object_get(doc, "auths");
	if (!find_entry(auths, key, &found))
		return 0;
	/* Every form of the key goes: a looser one left behind would log in again. */
	while (find_entry(auths, key, &found)) {
		auto_free char *k = strdup(found);

		if (!k || json_object_del(auths, k) < 0)
			/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
			return scute_err_set(err, ENOMEM, "%s", path);
	}
	return write_atomic(path, doc, err) < 0 ? -1 : 1;
}
