/* config.json: top level, root and process. The linux section and mounts are
 * in spec_linux.c and spec_mounts.c. */
#include "spec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cap_names.h"
#include "cleanup.h"
#include "fsutil.h"
#include "landlock_rules.h"
#include "log.h"
#include "spec_walk.h"

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static const char *const cap_set_keys[SCUTE_CAP_SET_COUNT] = {
	[SCUTE_CAP_BOUNDING] = "bounding",	 [SCUTE_CAP_EFFECTIVE] = "effective",
	[SCUTE_CAP_INHERITABLE] = "inheritable", [SCUTE_CAP_PERMITTED] = "permitted",
	[SCUTE_CAP_AMBIENT] = "ambient",
};

static int parse_caps(struct spec_walk *w, json_t *process, struct scute_process *p)
{
	char path[128], **names;
	json_t *caps;
	size_t n;

	if (walk_object(w, process, "process", "capabilities", false, &caps) < 0)
		return -1;
	for (int set = 0; set < SCUTE_CAP_SET_COUNT; set++) {
		if (walk_string_array(w, caps, "process.capabilities", cap_set_keys[set], &names,
				      &n) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			int cap = scute_cap_from_name(names[i]);
			if (cap < 0) {
				snprintf(path, sizeof(path), "process.capabilities.%s[%zu]",
					 cap_set_keys[set], i);
				walk_fail(w, path, "unknown capability \"%s\"", names[i]);
				free_string_array(names, n);
				return -1;
			}
			if (cap > scute_cap_last()) {
				scute_warn("%s is not known to this kernel; not granted", names[i]);
				continue;
			}
			p->caps[set] |= 1ULL << cap;
		}
		free_string_array(names, n);
	}
	return 0;
}

static int parse_rlimits(struct spec_walk *w, json_t *process, struct scute_process *p)
{
	char path[64];
	json_t *arr, *item;
	size_t i, k;

	if (walk_array(w, process, "process", "rlimits", false, &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	p->rlimits = calloc(json_array_size(arr) + 1, sizeof(*p->rlimits));
	if (!p->rlimits)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(path, sizeof(path), "process.rlimits[%zu]", i);
		if (!json_is_object(item))
			return walk_fail(w, path, "expected an object");
		auto_free char *type = NULL;
		if (walk_string(w, item, path, "type", true, &type) < 0)
			return -1;
		for (k = 0; k < sizeof(rlimit_names) / sizeof(rlimit_names[0]); k++)
			if (strcmp(type, rlimit_names[k].name) == 0)
				break;
		if (k == sizeof(rlimit_names) / sizeof(rlimit_names[0]))
			return walk_fail(w, path, "unknown rlimit type \"%s\"", type);
		for (size_t j = 0; j < i; j++)
			if (p->rlimits[j].resource == rlimit_names[k].resource)
				return walk_fail(w, path, "duplicate rlimit %s",
						 rlimit_names[k].name);
		p->rlimits[i].resource = rlimit_names[k].resource;
		if (walk_uint64(w, item, path, "soft", NULL, &p->rlimits[i].soft) < 0 ||
		    walk_uint64(w, item, path, "hard", NULL, &p->rlimits[i].hard) < 0)
			return -1;
		if (p->rlimits[i].soft > p->rlimits[i].hard)
			return walk_fail(w, path, "soft limit %llu is above the hard limit %llu",
					 (unsigned long long)p->rlimits[i].soft,
					 (unsigned long long)p->rlimits[i].hard);
		p->n_rlimits = i + 1;
	}
	return 0;
}

static int parse_user(struct spec_walk *w, json_t *process, struct scute_process *p)
{
	json_t *user, *gids, *g;
	int64_t v;
	size_t i;

	if (walk_object(w, process, "process", "user", true, &user) < 0)
		return -1;
	if (walk_refuse(w, user, "process.user", "username") < 0)
		return -1;
	if (walk_int(w, user, "process.user", "uid", 0, UINT32_MAX - 1, NULL, &v) < 0)
		return -1;
	p->uid = (uid_t)v;
	if (walk_int(w, user, "process.user", "gid", 0, UINT32_MAX - 1, NULL, &v) < 0)
		return -1;
	p->gid = (gid_t)v;
	if (walk_int(w, user, "process.user", "umask", 0, 0777, &p->has_umask, &v) < 0)
		return -1;
	if (p->has_umask)
		p->umask = (mode_t)v;
	if (walk_array(w, user, "process.user", "additionalGids", false, &gids) < 0)
		return -1;
	if (!gids)
		return 0;
	p->additional_gids = calloc(json_array_size(gids) + 1, sizeof(gid_t));
	if (!p->additional_gids)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(gids, i, g)
	{
		if (!json_is_integer(g) || json_integer_value(g) < 0 ||
		    json_integer_value(g) >= UINT32_MAX) {
			char path[64];
			snprintf(path, sizeof(path), "process.user.additionalGids[%zu]", i);
			return walk_fail(w, path, "expected a group id");
		}
		p->additional_gids[i] = (gid_t)json_integer_value(g);
		p->n_additional_gids = i + 1;
	}
	return 0;
}

/* process fields a later issue will enforce are refused rather than ignored. */
static const char *const process_refused[] = {
	"ioPriority",
	"scheduler",
	"execCPUAffinity",
	"commandLine",
};

static void free_process(struct scute_process *p);

static int parse_process(struct spec_walk *w, json_t *root, struct scute_spec *spec)
{
	struct scute_process *p = &spec->process;
	json_t *process;
	int64_t v;

	if (walk_object(w, root, "", "process", true, &process) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(process_refused) / sizeof(process_refused[0]); i++)
		if (walk_refuse(w, process, "process", process_refused[i]) < 0)
			return -1;
	if (walk_bool(w, process, "process", "terminal", &p->terminal) < 0 ||
	    walk_string_array(w, process, "process", "args", &p->args, &p->n_args) < 0 ||
	    walk_string_array(w, process, "process", "env", &p->env, &p->n_env) < 0 ||
	    walk_string(w, process, "process", "cwd", true, &p->cwd) < 0 ||
	    walk_bool(w, process, "process", "noNewPrivileges", &p->no_new_privileges) < 0)
		return -1;
	if (p->n_args == 0)
		return walk_fail(w, "process.args", "at least one argument is required");
	if (p->cwd[0] != '/')
		return walk_fail(w, "process.cwd", "\"%s\" is not an absolute path", p->cwd);
	if (!p->env && !(p->env = calloc(1, sizeof(char *))))
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_t *size;
	bool has;
	if (walk_object(w, process, "process", "consoleSize", false, &size) < 0 ||
	    walk_int(w, size, "process.consoleSize", "height", 0, 65535, &has, &v) < 0)
		return -1;
	p->console_height = has ? (unsigned short)v : 0;
	if (walk_int(w, size, "process.consoleSize", "width", 0, 65535, &has, &v) < 0)
		return -1;
	p->console_width = has ? (unsigned short)v : 0;
	if (walk_int(w, process, "process", "oomScoreAdj", -1000, 1000, &p->has_oom_score_adj, &v) <
	    0)
		return -1;
	p->oom_score_adj = (int)v;
	if (parse_user(w, process, p) < 0 || parse_caps(w, process, p) < 0 ||
	    parse_rlimits(w, process, p) < 0 || spec_parse_lsm(w, process, p) < 0)
		return -1;
	return 0;
}

static int parse_root(struct spec_walk *w, json_t *root, struct scute_spec *spec)
{
	json_t *r;
	auto_free char *path = NULL;

	if (walk_object(w, root, "", "root", true, &r) < 0 ||
	    walk_string(w, r, "root", "path", true, &path) < 0 ||
	    walk_bool(w, r, "root", "readonly", &spec->root_readonly) < 0)
		return -1;
	if (path[0] == '/') {
		spec->root_path = scute_take_ptr(&path);
		return 0;
	}
	if (asprintf(&spec->root_path, "%s/%s", spec->bundle, path) < 0)
		spec->root_path = NULL;
	return spec->root_path ? 0 : scute_err_set(w->err, ENOMEM, "out of memory");
}

static int parse_document(struct spec_walk *w, json_t *root, struct scute_spec *spec)
{
	auto_free char *version = NULL;

	if (!json_is_object(root))
		return scute_err_set(w->err, EINVAL, "%s: expected a JSON object", w->origin);
	if (walk_string(w, root, "", "ociVersion", true, &version) < 0)
		return -1;
	if (strncmp(version, "1.", 2) != 0)
		return walk_fail(w, "ociVersion", "unsupported version \"%s\" (1.x expected)",
				 version);
	if (scute_hooks_parse(json_object_get(root, "hooks"), w->origin, &spec->hooks, w->err) < 0)
		return -1;
	if (walk_string(w, root, "", "hostname", false, &spec->hostname) < 0 ||
	    walk_string(w, root, "", "domainname", false, &spec->domainname) < 0)
		return -1;
	if (parse_root(w, root, spec) < 0 || parse_process(w, root, spec) < 0 ||
	    spec_parse_mounts(w, root, spec) < 0 || spec_parse_linux(w, root, spec) < 0 ||
	    spec_label_mounts(w, spec) < 0)
		return -1;
	return 0;
}

static int parse_json(json_t *root, const char *origin, const char *bundle, struct scute_spec **out,
		      struct scute_err *err)
{
	struct spec_walk w = { .origin = origin, .err = err };
	struct scute_spec *spec;

	spec = calloc(1, sizeof(*spec));
	if (!spec || !(spec->bundle = strdup(bundle))) {
		free(spec);
		json_decref(root);
		return scute_err_set(err, ENOMEM, "out of memory");
	}
	spec->json = root;
	if (parse_document(&w, root, spec) < 0) {
		scute_spec_free(spec);
		return -1;
	}
	*out = spec;
	return 0;
}

int scute_spec_parse(const char *text, const char *origin, const char *bundle,
		     struct scute_spec **out, struct scute_err *err)
{
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);

	if (!root)
		return scute_err_set(err, EINVAL, "%s: line %d, column %d: %s", origin, jerr.line,
				     jerr.column, jerr.text);
	return parse_json(root, origin, bundle, out, err);
}

int scute_spec_load(const char *bundle, struct scute_spec **out, struct scute_err *err)
{
	char abs[PATH_MAX], path[PATH_MAX + 16];
	json_error_t jerr;
	json_t *root;
	size_t len;
	auto_free char *text = NULL;

	if (!realpath(bundle, abs))
		return scute_err_sys(err, "bundle \"%s\"", bundle);
	snprintf(path, sizeof(path), "%s/config.json", abs);
	text = scute_read_file(path, &len, err);
	if (!text)
		return -1;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return scute_err_set(err, EINVAL, "config.json: line %d, column %d: %s", jerr.line,
				     jerr.column, jerr.text);
	if (parse_json(root, "config.json", abs, out, err) < 0)
		return -1;
	(*out)->text = scute_take_ptr(&text);
	(*out)->text_len = len;
	return 0;
}

int scute_spec_parse_process(json_t *process, const char *origin, struct scute_process *p,
			     struct scute_err *err)
{
	struct spec_walk w = { .origin = origin, .err = err };
	struct scute_spec spec = { 0 };
	auto_json json_t *root = json_pack("{s:O}", "process", process);

	if (!root)
		return scute_err_set(err, EINVAL, "%s: expected a JSON object", origin);
	if (parse_process(&w, root, &spec) < 0) {
		free_process(&spec.process);
		return -1;
	}
	*p = spec.process;
	return 0;
}

void scute_process_free(struct scute_process *p)
{
	free_process(p);
}

static void free_process(struct scute_process *p)
{
	free_string_array(p->args, p->n_args);
	free_string_array(p->env, p->n_env);
	free(p->cwd);
	free(p->additional_gids);
	free(p->rlimits);
	free(p->apparmor_profile);
	free(p->selinux_label);
	scute_landlock_free(p->landlock);
}

void scute_spec_free(struct scute_spec *spec)
{
	if (!spec)
		return;
	free_process(&spec->process);
	for (size_t i = 0; i < spec->n_mounts; i++) {
		struct scute_mount *m = &spec->mounts[i];
		free(m->destination);
		free(m->type);
		free(m->source);
		free_string_array(m->fs_options, m->n_fs_options);
	}
	free(spec->mounts);
	for (int i = 0; i < SCUTE_NS_COUNT; i++)
		free(spec->ns[i].path);
	free(spec->uid_maps);
	free(spec->gid_maps);
	for (size_t i = 0; i < spec->n_devices; i++)
		free(spec->devices[i].path);
	free(spec->devices);
	for (size_t i = 0; i < spec->n_sysctls; i++) {
		free(spec->sysctls[i].key);
		free(spec->sysctls[i].value);
	}
	free(spec->sysctls);
	free_string_array(spec->masked_paths, spec->n_masked_paths);
	free_string_array(spec->readonly_paths, spec->n_readonly_paths);
	free(spec->cgroups_path);
	free(spec->mount_label);
	scute_hooks_free(&spec->hooks);
	free(spec->text);
	scute_resources_free(&spec->resources);
	scute_seccomp_free(spec->seccomp);
	free(spec->hostname);
	free(spec->domainname);
	free(spec->root_path);
	free(spec->bundle);
	json_decref(spec->json);
	free(spec);
}
