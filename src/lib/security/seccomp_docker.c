#include "seccomp_docker.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "caps.h"
#include "cleanup.h"
#include "fsutil.h"
#include "spec.h"
#include "spec_walk.h"
#include "values.h"

/* The run of digits at *s as an int (through values.h, so an overflow is
 * refused, not saturated); *s moves past it. */
static int version_part(const char **s, int *out)
{
	char digits[16];
	size_t n = strspn(*s, "0123456789");
	int64_t v;
	struct scute_err ignored;

	if (n == 0 || n >= sizeof(digits))
		return -1;
	memcpy(digits, *s, n);
	digits[n] = '\0';
	if (scute_parse_int(digits, 0, INT32_MAX, &v, &ignored) < 0)
		return -1;
	*s += n;
	*out = (int)v;
	return 0;
}

int scute_parse_kernel_version(const char *s, int *major, int *minor)
{
	int ma, mi = 0;

	/* "6.8.0-45-generic": what follows major.minor is not read. */
	if (version_part(&s, &ma) < 0)
		return -1;
	if (*s == '.') {
		s++;
		if (version_part(&s, &mi) < 0)
			return -1;
	}
	*major = ma;
	*minor = mi;
	return 0;
}

int scute_docker_env_native(struct scute_docker_env *env, uint64_t caps, struct scute_err *err)
{
	struct utsname u;

	if (uname(&u) < 0)
		return scute_err_sys(err, "uname");
	env->caps = caps;
	if (scute_parse_kernel_version(u.release, &env->kernel_major, &env->kernel_minor) < 0)
		return scute_err_set(err, EINVAL, "cannot read the kernel version \"%s\"",
				     u.release);
#if defined(__x86_64__)
	env->arch = "SCMP_ARCH_X86_64";
	env->go_arch = "amd64";
#elif defined(__aarch64__)
	env->arch = "SCMP_ARCH_AARCH64";
	env->go_arch = "arm64";
#else
#error "scute knows the seccomp architecture names of x86_64 and aarch64 only"
#endif
	return 0;
}

static bool in_strings(json_t *arr, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v) if (json_is_string(v) &&
					  strcmp(json_string_value(v), s) == 0) return true;
	return false;
}

static int kernel_at_least(const struct scute_docker_env *env, const char *v, bool *out)
{
	int ma, mi;

	if (scute_parse_kernel_version(v, &ma, &mi) < 0)
		return -1;
	*out = env->kernel_major > ma || (env->kernel_major == ma && env->kernel_minor >= mi);
	return 0;
}

static bool has_cap(const struct scute_docker_env *env, const char *name)
{
	int cap = scute_cap_from_name(name);
	return cap >= 0 && (env->caps & (1ULL << cap));
}

/* minKernel of an includes/excludes object: *met says whether this
 * kernel is at least that version; absent counts as met. */
static int min_kernel(struct spec_walk *w, json_t *obj, const char *path,
		      const struct scute_docker_env *env, bool *present, bool *met)
{
	auto_free char *min = NULL;
	int rc = 0;

	*present = false;
	*met = true;
	if (walk_string(w, obj, path, "minKernel", false, &min) < 0)
		return -1;
	if (min) {
		*present = true;
		if (kernel_at_least(env, min, met) < 0)
			rc = walk_fail(w, path, "minKernel: \"%s\" is not a kernel version", min);
	}
	return rc;
}

/* includes/excludes: whether the entry applies on this machine. Includes
 * need all their caps and one of their arches; excludes drop the entry on
 * any cap or arch they name. */
static int entry_applies(struct spec_walk *w, json_t *entry, const char *path,
			 const struct scute_docker_env *env, bool *applies)
{
	json_t *inc, *exc, *v;
	char sub[160];
	bool present, met;
	size_t i;

	*applies = false;
	if (walk_object(w, entry, path, "includes", false, &inc) < 0 ||
	    walk_object(w, entry, path, "excludes", false, &exc) < 0)
		return -1;
	json_t *arches = json_object_get(inc, "arches");
	if (json_array_size(arches) && !in_strings(arches, env->go_arch))
		return 0;
	json_array_foreach(json_object_get(inc, "caps"), i,
			   v) if (!json_is_string(v) ||
				  !has_cap(env, json_string_value(v))) return 0;
	snprintf(sub, sizeof(sub), "%s.includes", path);
	if (min_kernel(w, inc, sub, env, &present, &met) < 0)
		return -1;
	if (!met)
		return 0;
	if (in_strings(json_object_get(exc, "arches"), env->go_arch))
		return 0;
	json_array_foreach(json_object_get(exc, "caps"), i,
			   v) if (json_is_string(v) && has_cap(env, json_string_value(v))) return 0;
	snprintf(sub, sizeof(sub), "%s.excludes", path);
	if (min_kernel(w, exc, sub, env, &present, &met) < 0)
		return -1;
	*applies = !(present && met);
	return 0;
}

/* names (or the legacy single name) of one entry. */
static json_t *entry_names(struct spec_walk *w, json_t *entry, const char *path)
{
	json_t *names = json_object_get(entry, "names"), *name = json_object_get(entry, "name");
	char sub[160];
	json_t *v;
	size_t i;

	if (names && name)
		return walk_fail(w, path, "use either name or names, not both"), NULL;
	if (name) {
		if (!json_is_string(name))
			return snprintf(sub, sizeof(sub), "%s.name", path),
			       walk_fail(w, sub, "expected a string"), NULL;
		return json_pack("[O]", name);
	}
	snprintf(sub, sizeof(sub), "%s.names", path);
	if (!json_is_array(names) || !json_array_size(names))
		return walk_fail(w, sub, "expected a non-empty array of syscall names"), NULL;
	json_array_foreach(names, i, v) if (!json_is_string(v)) return walk_fail(
		w, sub, "[%zu]: expected a string", i),
		NULL;
	return json_incref(names);
}

static int convert_entry(struct spec_walk *w, json_t *entry, const char *path, json_t *out)
{
	json_t *names, *rule, *v;
	const char *copied[] = { "action", "errnoRet", "args" };

	if (!json_is_object(entry))
		return walk_fail(w, path, "expected an object");
	if (!(names = entry_names(w, entry, path)))
		return -1;
	rule = json_pack("{s:o}", "names", names);
	for (size_t i = 0; i < 3; i++)
		if ((v = json_object_get(entry, copied[i])) && !json_is_null(v))
			json_object_set(rule, copied[i], v);
	json_array_append_new(out, rule);
	return 0;
}

/* The architectures: from archMap, the native one and its sub-
 * architectures; else the legacy architectures list as given. */
static json_t *architectures(struct spec_walk *w, json_t *profile,
			     const struct scute_docker_env *env)
{
	json_t *map = json_object_get(profile, "archMap"), *e, *out;
	size_t i;

	if (!map) {
		json_t *legacy = json_object_get(profile, "architectures");
		return legacy ? json_incref(legacy) : json_array();
	}
	if (!json_is_array(map))
		return walk_fail(w, "archMap", "expected an array"), NULL;
	json_array_foreach(map, i, e)
	{
		json_t *arch = json_object_get(e, "architecture");
		if (!json_is_string(arch)) {
			char sub[64];
			snprintf(sub, sizeof(sub), "archMap[%zu].architecture", i);
			return walk_fail(w, sub, "expected a string"), NULL;
		}
		if (strcmp(json_string_value(arch), env->arch) != 0)
			continue;
		out = json_pack("[O]", arch);
		json_t *subs = json_object_get(e, "subArchitectures"), *s;
		size_t k;
		json_array_foreach(subs, k, s) json_array_append(out, s);
		return out;
	}
	return json_array();
}

json_t *scute_seccomp_from_docker(json_t *profile, const char *origin,
				  const struct scute_docker_env *env, struct scute_err *err)
{
	struct spec_walk w = { .origin = origin, .err = err };
	const char *passed[] = { "defaultAction", "defaultErrnoRet", "flags", "listenerPath",
				 "listenerMetadata" };
	auto_json json_t *out = NULL;
	json_t *syscalls, *entry, *arches, *v;
	struct scute_seccomp *check = NULL;
	char path[64];
	size_t i;

	if (!json_is_object(profile))
		return scute_err_set(err, EINVAL, "%s: expected a JSON object", origin), NULL;
	out = json_object();
	for (i = 0; i < sizeof(passed) / sizeof(passed[0]); i++)
		if ((v = json_object_get(profile, passed[i])))
			json_object_set(out, passed[i], v);
	if (!(arches = architectures(&w, profile, env)))
		return NULL;
	json_object_set_new(out, "architectures", arches);
	syscalls = json_array();
	json_object_set_new(out, "syscalls", syscalls);
	json_array_foreach(json_object_get(profile, "syscalls"), i, entry)
	{
		bool applies;
		snprintf(path, sizeof(path), "syscalls[%zu]", i);
		if (entry_applies(&w, entry, path, env, &applies) < 0 ||
		    (applies && convert_entry(&w, entry, path, syscalls) < 0))
			return NULL;
	}
	/* What comes out must be a section scute-runtime takes. */
	int rc = scute_seccomp_parse(out, origin, &check, err);
	scute_seccomp_free(check);
	return rc < 0 ? NULL : scute_take_ptr(&out);
}

json_t *scute_seccomp_docker_text(const char *text, size_t len, const char *origin,
				  const struct scute_docker_env *env, struct scute_err *err)
{
	json_error_t jerr;
	auto_json json_t *profile = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);

	if (!profile)
		return scute_err_set(err, EINVAL, "%s: line %d, column %d: %s", origin, jerr.line,
				     jerr.column, jerr.text),
		       NULL;
	return scute_seccomp_from_docker(profile, origin, env, err);
}

json_t *scute_seccomp_docker_file(const char *path, const struct scute_docker_env *env,
				  struct scute_err *err)
{
	size_t len;
	auto_free char *text = scute_read_file(path, &len, err);

	if (!text)
		return NULL;
	return scute_seccomp_docker_text(text, len, path, env, err);
}

extern const char scute_seccomp_default_profile[];

json_t *scute_seccomp_builtin(const struct scute_docker_env *env, struct scute_err *err)
{
	return scute_seccomp_default(env, err);
}

json_t *scute_seccomp_default(const struct scute_docker_env *env, struct scute_err *err)
{
	json_error_t jerr;
	auto_json json_t *profile = json_loads(scute_seccomp_default_profile, 0, &jerr);

	if (!profile)
		return scute_err_set(err, EINVAL, "built-in seccomp profile: line %d: %s",
				     jerr.line, jerr.text),
		       NULL;
	return scute_seccomp_from_docker(profile, "built-in seccomp profile", env, err);
}
