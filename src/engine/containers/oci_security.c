/* What confines the container's process, from HostConfig.CapAdd, CapDrop,
 * Privileged and SecurityOpt over the base's defaults (oci_config.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>

#include "base/cleanup.h"
#include "oci_config.h"

/* ---- capabilities ---------------------------------------------------------- */

/* A name as docker takes it (with or without CAP_, any case) → number. */
static int cap_number(const char *name)
{
	char full[64];

	if (strncasecmp(name, "CAP_", 4) == 0)
		snprintf(full, sizeof(full), "%s", name);
	else
		snprintf(full, sizeof(full), "CAP_%s", name);
	return scute_cap_from_name(full);
}

/* "Every capability": every one this process may still hand on (its
 * bounding set), which on a host without some of them is fewer than the
 * kernel knows. */
static uint64_t all_caps(void)
{
	int last = scute_cap_last();
	uint64_t mask = 0;

	for (int cap = 0; cap <= last && cap < 64; cap++)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			mask |= 1ULL << cap;
	return mask;
}

/* CapAdd or CapDrop as a mask; *all when it holds "ALL". */
static int cap_field(json_t *list, const char *field, uint64_t *mask, bool *all,
		     struct scute_err *err)
{
	size_t i;
	json_t *v;

	*mask = 0;
	*all = false;
	if (list && !json_is_array(list) && !json_is_null(list))
		return scute_err_set(err, EINVAL, "HostConfig.%s: not an array", field);
	json_array_foreach(list, i, v)
	{
		const char *name = json_string_value(v);
		int cap;

		if (name && !strcasecmp(name, "ALL")) {
			*all = true;
			continue;
		}
		cap = name ? cap_number(name) : -1;
		if (cap < 0 || cap > 63)
			return scute_err_set(err, EINVAL,
					     "HostConfig.%s[%zu]: unknown capability \"%.64s\"",
					     field, i, name ? name : "(not a string)");
		*mask |= 1ULL << cap;
	}
	return 0;
}

uint64_t scute_oci_caps_mask(json_t *names)
{
	uint64_t mask = 0;
	size_t i;
	json_t *v;

	json_array_foreach(names, i, v)
	{
		int cap = scute_cap_from_name(json_string_value(v));

		if (cap >= 0 && cap < 64)
			mask |= 1ULL << cap;
	}
	return mask;
}

static uint64_t base_caps(json_t *spec)
{
	return scute_oci_caps_mask(json_object_get(
		json_object_get(json_object_get(spec, "process"), "capabilities"), "bounding"));
}

static json_t *cap_names(uint64_t mask)
{
	json_t *out = json_array();
	char name[64];

	for (int cap = 0; out && cap < 64; cap++)
		if (mask & (1ULL << cap))
			json_array_append_new(out,
					      json_string(scute_cap_name(cap, name, sizeof(name))));
	return out;
}

/* docker's rules: Privileged gets every capability; "ALL" in CapDrop
 * keeps only CapAdd; "ALL" in CapAdd gives all but CapDrop; otherwise the
 * defaults plus CapAdd minus CapDrop. */
static int capabilities(json_t *spec, json_t *host, uint64_t *final, struct scute_err *err)
{
	uint64_t add, drop;
	bool add_all, drop_all;
	json_t *caps;

	if (cap_field(json_object_get(host, "CapAdd"), "CapAdd", &add, &add_all, err) < 0 ||
	    cap_field(json_object_get(host, "CapDrop"), "CapDrop", &drop, &drop_all, err) < 0)
		return -1;
	if (json_is_true(json_object_get(host, "Privileged")))
		*final = all_caps();
	else if (add_all)
		*final = all_caps() & ~drop;
	else if (drop_all)
		*final = add;
	else
		*final = (base_caps(spec) | add) & ~drop;
	caps = json_pack("{s:o, s:o, s:o, s:[], s:[]}", "bounding", cap_names(*final), "effective",
			 cap_names(*final), "permitted", cap_names(*final), "inheritable",
			 "ambient");
	if (!caps)
		return scute_err_set(err, ENOMEM, "capabilities: out of memory");
	return json_object_set_new(json_object_get(spec, "process"), "capabilities", caps);
}

/* ---- SecurityOpt ----------------------------------------------------------- */

struct security_opts {
	const char *seccomp;  /* "unconfined" or a profile's text; NULL: the default */
	const char *apparmor; /* NULL: the default */
	const char *landlock; /* a process.landlock object's text */
	int no_new_privs;     /* -1: the default */
	bool label_disable, systempaths_unconfined;
	const char *label[4]; /* user, role, type, level */
	json_t *mask, *unmask;
};

/* mask=P1:P2 and unmask=...: absolute paths, and for unmask "ALL" too. A
 * relative "ALL" in the masked list would make every later mask look
 * present already (in_list), dropping it without a word. */
static int split_paths(json_t *into, const char *paths, bool unmask, size_t i,
		       struct scute_err *err)
{
	auto_free char *copy = strdup(paths);
	char *save = NULL;

	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (p[0] != '/' && !(unmask && !strcmp(p, "ALL")))
			return scute_err_set(
				err, EINVAL,
				"HostConfig.SecurityOpt[%zu]: %s \"%.100s\" is not an absolute path",
				i, unmask ? "unmask" : "mask", p);
		json_array_append_new(into, json_string(p));
	}
	return 0;
}

static int label_opt(struct security_opts *o, const char *v, size_t i, struct scute_err *err)
{
	static const char *const parts[] = { "user:", "role:", "type:", "level:" };

	if (!strcmp(v, "disable")) {
		o->label_disable = true;
		return 0;
	}
	for (size_t k = 0; k < 4; k++)
		if (!strncmp(v, parts[k], strlen(parts[k])) && v[strlen(parts[k])]) {
			o->label[k] = v + strlen(parts[k]);
			return 0;
		}
	return scute_err_set(err, EINVAL, "HostConfig.SecurityOpt[%zu]: invalid label \"%.100s\"",
			     i, v);
}

static int nnp_opt(struct security_opts *o, const char *v, size_t i, struct scute_err *err)
{
	if (!v || !strcmp(v, "true"))
		o->no_new_privs = 1;
	else if (!strcmp(v, "false"))
		o->no_new_privs = 0;
	else
		return scute_err_set(
			err, EINVAL,
			"HostConfig.SecurityOpt[%zu]: no-new-privileges: invalid value \"%.50s\"",
			i, v);
	return 0;
}

static int security_opt(struct security_opts *o, const char *opt, size_t i, struct scute_err *err)
{
	const char *eq = strpbrk(opt, "=:");
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *v = eq ? eq + 1 : NULL;

	if (klen == 17 && !strncmp(opt, "no-new-privileges", klen))
		return nnp_opt(o, v, i, err);
	if (!v || (*eq == ':' && strncmp(opt, "label", klen)))
		return scute_err_set(err, EINVAL,
				     "HostConfig.SecurityOpt[%zu]: invalid option \"%.100s\"", i,
				     opt);
	if (klen == 7 && !strncmp(opt, "seccomp", klen))
		o->seccomp = v;
	else if (klen == 8 && !strncmp(opt, "apparmor", klen))
		o->apparmor = v;
	else if (klen == 8 && !strncmp(opt, "landlock", klen))
		o->landlock = v;
	else if (klen == 5 && !strncmp(opt, "label", klen))
		return label_opt(o, v, i, err);
	else if (klen == 11 && !strncmp(opt, "systempaths", klen) && !strcmp(v, "unconfined"))
		o->systempaths_unconfined = true;
	else if (klen == 4 && !strncmp(opt, "mask", klen))
		return split_paths(o->mask, v, false, i, err);
	else if (klen == 6 && !strncmp(opt, "unmask", klen))
		return split_paths(o->unmask, v, true, i, err);
	else
		return scute_err_set(err, EINVAL,
				     "HostConfig.SecurityOpt[%zu]: unknown option \"%.*s\"", i,
				     (int)(klen > 64 ? 64 : klen), opt);
	return 0;
}

static int read_security_opts(json_t *host, struct security_opts *o, struct scute_err *err)
{
	json_t *list = json_object_get(host, "SecurityOpt"), *v;
	size_t i;

	if (list && !json_is_array(list) && !json_is_null(list))
		return scute_err_set(err, EINVAL, "HostConfig.SecurityOpt: not an array");
	json_array_foreach(list, i, v)
	{
		if (!json_is_string(v))
			return scute_err_set(err, EINVAL,
					     "HostConfig.SecurityOpt[%zu]: not a string", i);
		if (security_opt(o, json_string_value(v), i, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- applying them ------------------------------------------------------- */

static int apply_seccomp(json_t *spec, const struct scute_oci_inputs *in,
			 const struct security_opts *o, bool privileged, uint64_t caps,
			 struct scute_err *err)
{
	json_t *lx = json_object_get(spec, "linux"), *filter;
	const char *def = in->d->seccomp;
	struct scute_docker_env env;

	if (privileged || (o->seccomp && !strcmp(o->seccomp, "unconfined")) ||
	    (!o->seccomp && def && !strcmp(def, "unconfined")))
		return json_object_del(lx, "seccomp"), 0;
	if (!o->seccomp && !def && caps == base_caps(in->d->base))
		return 0; /* the base's filter is the built-in one for these caps */
	if (scute_docker_env_native(&env, caps, err) < 0)
		return -1;
	if (o->seccomp)
		filter = scute_seccomp_docker_text(o->seccomp, strlen(o->seccomp),
						   "HostConfig.SecurityOpt seccomp profile", &env,
						   err);
	else if (def)
		filter = scute_seccomp_docker_file(def, &env, err);
	else
		filter = scute_seccomp_builtin(&env, err);
	if (!filter)
		return -1;
	return json_object_set_new(lx, "seccomp", filter);
}

/* Whether a profile of that name is loaded in the kernel. */
static bool apparmor_loaded(const char *name)
{
	auto_fclose FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");
	char line[512];
	size_t n = strlen(name);

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ')
			return true;
	return false;
}

static int apply_lsm(json_t *process, const struct scute_oci_inputs *in,
		     const struct security_opts *o, bool privileged, struct scute_err *err)
{
	if (o->apparmor && strcmp(o->apparmor, "unconfined") && !in->d->apparmor_enabled)
		return scute_err_set(
			err, EOPNOTSUPP,
			"--security-opt apparmor=%.100s: AppArmor is not enabled on this "
			"host, and scute never runs a container unconfined instead",
			o->apparmor);
	if (privileged || (o->apparmor && !strcmp(o->apparmor, "unconfined")))
		json_object_del(process, "apparmorProfile");
	else if (o->apparmor && !strcmp(o->apparmor, "docker-default") &&
		 !apparmor_loaded("docker-default"))
		/* the hardening guides' name: scute's default profile stands in */
		json_object_set_new(process, "apparmorProfile",
				    json_string(SCUTE_APPARMOR_DEFAULT));
	else if (o->apparmor)
		json_object_set_new(process, "apparmorProfile", json_string(o->apparmor));
	if (o->label_disable || !(o->label[0] || o->label[1] || o->label[2] || o->label[3]))
		return 0;
	if (!in->d->selinux_enabled)
		return scute_err_set(
			err, EOPNOTSUPP,
			"--security-opt label: SELinux is not enabled on this host, and "
			"scute never runs a container unlabelled instead");
	char label[512];

	snprintf(label, sizeof(label), "%s:%s:%s:%s", o->label[0] ? o->label[0] : "system_u",
		 o->label[1] ? o->label[1] : "system_r", o->label[2] ? o->label[2] : "container_t",
		 o->label[3] ? o->label[3] : "s0");
	return json_object_set_new(process, "selinuxLabel", json_string(label));
}

static bool in_list(json_t *list, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) if (!strcmp(json_string_value(v), s) ||
					   !strcmp(json_string_value(v), "ALL")) return true;
	return false;
}

/* Masked and read-only paths: none when privileged or systempaths=
 * unconfined; unmask removes from both lists, mask adds. */
static int apply_paths(json_t *lx, const struct security_opts *o, bool privileged)
{
	static const char *const keys[] = { "maskedPaths", "readonlyPaths" };
	size_t i;
	json_t *v;

	for (size_t k = 0; k < 2; k++) {
		json_t *old = json_object_get(lx, keys[k]);
		json_t *kept = json_array();

		json_array_foreach(old, i, v) if (!privileged && !o->systempaths_unconfined &&
						  !in_list(o->unmask, json_string_value(v)))
			json_array_append(kept, v);
		if (k == 0)
			json_array_foreach(o->mask, i, v) if (!in_list(kept, json_string_value(v)))
				json_array_append(kept, v);
		json_object_set_new(lx, keys[k], kept);
	}
	return 0;
}

static int apply_landlock(json_t *process, const struct security_opts *o, struct scute_err *err)
{
	json_error_t jerr;
	json_t *rules;

	if (!o->landlock)
		return 0;
	rules = json_loads(o->landlock, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(rules)) {
		json_decref(rules);
		return scute_err_set(
			err, EINVAL,
			"HostConfig.SecurityOpt landlock ruleset: not a JSON object (%s)",
			jerr.text);
	}
	return json_object_set_new(process, "landlock", rules);
}

/* --privileged makes /sys and the cgroup tree writable, as docker does. */
static void privileged_mounts(json_t *spec)
{
	size_t i, j;
	json_t *m, *opt;

	json_array_foreach(json_object_get(spec, "mounts"), i, m)
	{
		const char *dst = json_string_value(json_object_get(m, "destination"));
		json_t *opts = json_object_get(m, "options");

		if (!dst || (strcmp(dst, "/sys") && strcmp(dst, "/sys/fs/cgroup")))
			continue;
		json_array_foreach(opts, j, opt) if (!strcmp(json_string_value(opt), "ro"))
			json_array_set_new(opts, j, json_string("rw"));
	}
}

int scute_oci_security(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	json_t *host = in->c->host_config;
	json_t *process = json_object_get(spec, "process");
	auto_json json_t *mask = json_array();
	auto_json json_t *unmask = json_array();
	struct security_opts o = { .no_new_privs = -1, .mask = mask, .unmask = unmask };
	bool privileged = json_is_true(json_object_get(host, "Privileged"));
	uint64_t caps;

	if (!mask || !unmask)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (read_security_opts(host, &o, err) < 0 || capabilities(spec, host, &caps, err) < 0 ||
	    apply_seccomp(spec, in, &o, privileged, caps, err) < 0 ||
	    apply_lsm(process, in, &o, privileged, err) < 0 ||
	    apply_paths(json_object_get(spec, "linux"), &o, privileged) < 0 ||
	    apply_landlock(process, &o, err) < 0)
		return -1;
	if (o.no_new_privs >= 0)
		json_object_set_new(process, "noNewPrivileges", json_boolean(o.no_new_privs));
	if (privileged)
		privileged_mounts(spec);
	return 0;
}
