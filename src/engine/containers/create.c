/* create, and the config a container starts with (create.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "container_volumes.h"
#include "create.h"
#include "image_json.h"
#include "image_store.h"
#include "rootfs.h"

/* ---- the base --------------------------------------------------------------- */

static json_t *strings_of(char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int rlimit_name(const char *name, char *type, size_t size)
{
	snprintf(type, size, "RLIMIT_%s", name);
	for (char *p = type; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	return 0;
}

static json_t *base_rlimits(json_t *ulimits)
{
	json_t *out = json_array(), *u;
	size_t i;

	json_array_foreach(ulimits, i, u)
	{
		char type[48];

		rlimit_name(json_string_value(json_object_get(u, "Name")), type, sizeof(type));
		json_array_append_new(out, json_pack("{s:s, s:O, s:O}", "type", type, "soft",
						     json_object_get(u, "Soft"), "hard",
						     json_object_get(u, "Hard")));
	}
	return out;
}

/* The base's filter is built for the spec's own capabilities: with other
 * default capabilities, the built-in profile is rebuilt for those. */
static int rebuild_filter(json_t *base, uint64_t spec_caps, uint64_t caps, struct scute_err *err)
{
	struct scute_docker_env env;
	json_t *filter;

	if (caps == spec_caps)
		return 0;
	if (scute_docker_env_native(&env, caps, err) < 0 ||
	    !(filter = scute_seccomp_builtin(&env, err)))
		return -1;
	return json_object_set_new(json_object_get(base, "linux"), "seccomp", filter);
}

int scute_oci_defaults_from(const struct scute_container_defaults *d,
			    struct scute_oci_defaults *out, struct scute_err *err)
{
	auto_json json_t *base = json_deep_copy(d->spec);
	auto_json json_t *caps = strings_of(d->capabilities, d->n_capabilities);
	json_t *process, *res;
	uint64_t spec_caps;

	*out = (struct scute_oci_defaults){ 0 };
	if (!base || !caps)
		return scute_err_set(err, ENOMEM, "container defaults: out of memory");
	process = json_object_get(base, "process");
	res = json_object_get(json_object_get(base, "linux"), "resources");
	spec_caps = scute_oci_caps_mask(
		json_object_get(json_object_get(process, "capabilities"), "bounding"));
	json_object_set_new(process, "capabilities",
			    json_pack("{s:O, s:O, s:O, s:[], s:[]}", "bounding", caps, "effective",
				      caps, "permitted", caps, "inheritable", "ambient"));
	json_object_set_new(process, "noNewPrivileges", json_boolean(d->no_new_privileges));
	json_object_set_new(process, "rlimits", base_rlimits(d->ulimits));
	if (d->pids_limit > 0)
		json_object_set_new(res, "pids",
				    json_pack("{s:I}", "limit", (json_int_t)d->pids_limit));
	else
		json_object_del(res, "pids");
	out->seccomp = strcmp(d->seccomp, "builtin") ? d->seccomp : NULL;
	if (!out->seccomp && rebuild_filter(base, spec_caps, scute_oci_caps_mask(caps), err) < 0)
		return -1;
	out->cd = d;
	out->init_path = d->init_path;
	out->apparmor_enabled = scute_apparmor_enabled();
	out->selinux_enabled = scute_selinux_enabled();
	out->base = scute_take_ptr(&base);
	return 0;
}

void scute_oci_defaults_clear(struct scute_oci_defaults *o)
{
	json_decref(o->base);
	o->base = NULL;
}

/* ---- docker's merge of the image's config ---------------------------------- */

static bool unset(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !json_string_value(v)[0]) ||
	       (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_object(v) && !json_object_size(v));
}

static void take_if_unset(json_t *config, json_t *image, const char *key)
{
	json_t *v = json_object_get(image, key);

	if (unset(json_object_get(config, key)) && !unset(v))
		json_object_set(config, key, v);
}

/* dockerd's merge: the request's variables, then each of the image's whose
 * name the request does not set. */
static json_t *merged_env(json_t *image_env, json_t *env)
{
	json_t *out = json_array(), *v, *w;
	size_t i, j;

	json_array_extend(out, env);
	json_array_foreach(image_env, i, v)
	{
		const char *s = json_string_value(v);
		size_t n = s ? strcspn(s, "=") : 0;
		bool replaced = false;

		json_array_foreach(env, j, w)
		{
			const char *t = json_string_value(w);

			if (s && t && !strncmp(s, t, n) && (t[n] == '=' || !t[n]))
				replaced = true;
		}
		if (!replaced && s)
			json_array_append(out, v);
	}
	return out;
}

/* A request's healthcheck takes each field it leaves zero from the
 * image's: --health-interval alone keeps the image's test, --no-healthcheck
 * the image's interval and retries. */
static void merge_healthcheck(json_t *config, json_t *image)
{
	static const char *const keys[] = { "Test", "Interval", "Timeout", "StartPeriod",
					    "Retries" };
	json_t *into = json_object_get(config, "Healthcheck");
	json_t *from = json_object_get(image, "Healthcheck");

	if (!json_is_object(from))
		return;
	if (!json_is_object(into)) {
		json_object_set(config, "Healthcheck", from);
		return;
	}
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		json_t *v = json_object_get(into, keys[k]);

		if ((unset(v) || (json_is_integer(v) && !json_integer_value(v))) &&
		    json_object_get(from, keys[k]))
			json_object_set(into, keys[k], json_object_get(from, keys[k]));
	}
}

static void merge_objects(json_t *config, json_t *image, const char *key)
{
	json_t *into = json_object_get(config, key), *from = json_object_get(image, key);

	if (!json_is_object(from))
		return;
	if (!json_is_object(into)) {
		json_object_set_new(config, key, json_deep_copy(from));
		return;
	}
	json_object_update_missing(into, from);
}

static void merge_image(json_t *config, json_t *image)
{
	json_t *entry = json_object_get(config, "Entrypoint");

	json_object_set_new(
		config, "Env",
		merged_env(json_object_get(image, "Env"), json_object_get(config, "Env")));
	/* an Entrypoint of the request replaces the image's and its Cmd; [""]
	 * resets it to none */
	if (json_is_array(entry) && json_array_size(entry) == 1 &&
	    !strcmp(json_string_value(json_array_get(entry, 0)) ?: "x", ""))
		json_object_set_new(config, "Entrypoint", json_null());
	else if (unset(entry)) {
		take_if_unset(config, image, "Entrypoint");
		take_if_unset(config, image, "Cmd");
	}
	take_if_unset(config, image, "User");
	take_if_unset(config, image, "WorkingDir");
	take_if_unset(config, image, "StopSignal");
	merge_healthcheck(config, image);
	merge_objects(config, image, "Labels");
	merge_objects(config, image, "Volumes");
	merge_objects(config, image, "ExposedPorts");
}

/* ---- HostConfig's defaults, as dockerd fills them at create ---------------- */

static void default_string(json_t *host, const char *key, const char *value)
{
	if (unset(json_object_get(host, key)) && value)
		json_object_set_new(host, key, json_string(value));
}

static void fill_host_config(json_t *host, const struct scute_container_defaults *cd)
{
	if (!json_integer_value(json_object_get(host, "ShmSize")))
		json_object_set_new(host, "ShmSize", json_integer(cd->shm_size));
	/* a memory limit alone allows as much swap again, as dockerd records it:
	 * with no swap limit the container could swap without bound */
	if (json_integer_value(json_object_get(host, "Memory")) > 0 &&
	    !json_integer_value(json_object_get(host, "MemorySwap")))
		json_object_set_new(
			host, "MemorySwap",
			json_integer(2 * json_integer_value(json_object_get(host, "Memory"))));
	default_string(host, "NetworkMode", cd->network_mode);
	default_string(host, "CgroupnsMode", cd->cgroupns_mode);
	default_string(host, "IpcMode", "private");
	if (!json_is_boolean(json_object_get(host, "Init")) && cd->init)
		json_object_set_new(host, "Init", json_true());
	if (unset(json_object_get(json_object_get(host, "LogConfig"), "Type")))
		json_object_set_new(
			host, "LogConfig",
			json_pack("{s:s, s:O}", "Type", cd->log_driver, "Config", cd->log_opts));
	if (!json_is_object(json_object_get(host, "RestartPolicy")))
		json_object_set_new(host, "RestartPolicy",
				    json_pack("{s:s, s:i}", "Name", "no", "MaximumRetryCount", 0));
}

/* ---- create ----------------------------------------------------------------- */

/* --ipc/--pid container:REF recorded as container:ID, as dockerd does: the
 * container must exist now, and a later rename or a new container taking
 * its name does not change whose namespace this one joins. */
static int pin_ns_refs(sqlite3 *db, json_t *host, struct scute_err *err)
{
	static const char *const keys[] = { "IpcMode", "PidMode" };

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *mode = json_string_value(json_object_get(host, keys[k]));
		struct scute_container other;
		char pinned[10 + 65];

		if (!mode || strncmp(mode, "container:", 10))
			continue;
		if (scute_container_find(db, mode + 10, &other, err) < 0)
			return scute_err_prefix(err, "HostConfig.%s", keys[k]);
		snprintf(pinned, sizeof(pinned), "container:%s", other.id);
		scute_container_clear(&other);
		json_object_set_new(host, keys[k], json_string(pinned));
	}
	return 0;
}

/* Derive the config once with no root: every value checked before the
 * record exists. */
static int check_derivable(json_t *config, json_t *host, const struct scute_oci_defaults *d,
			   struct scute_err *err)
{
	struct scute_container probe = { .config = config, .host_config = host };
	struct scute_oci_inputs in = { .c = &probe, .d = d, .rootfd = -1 };
	json_t *oci;

	memset(probe.id, '0', 64);
	oci = scute_oci_config_derive(&in, err);
	json_decref(oci);
	return oci ? 0 : -1;
}

int scute_container_new(struct scute_store *s, const struct scute_engine_paths *e,
			const struct scute_oci_defaults *d, const char *name, json_t *config,
			json_t *host_config, struct scute_container *out, struct scute_err *err)
{
	auto_json json_t *cfg = config ? json_deep_copy(config) : json_object();
	auto_json json_t *host = host_config ? json_deep_copy(host_config) : json_object();
	auto_json json_t *image = NULL;
	const char *ref = json_string_value(json_object_get(cfg, "Image"));
	struct scute_digest id;

	if (!cfg || !host || !json_is_object(cfg) || !json_is_object(host))
		return scute_err_set(err, EINVAL, "Config and HostConfig must be objects");
	if (!ref || !ref[0])
		return scute_err_set(err, EINVAL, "Config.Image: required");
	if (scute_image_resolve(s->db, ref, &id, err) < 0)
		return -1;
	image = scute_image_config_load(s, id.str, err);
	if (!image)
		return -1;
	merge_image(cfg, json_object_get(image, "config"));
	fill_host_config(host, d->cd);
	if (pin_ns_refs(s->db, host, err) < 0 || check_derivable(cfg, host, d, err) < 0 ||
	    scute_container_make(s, e, name, ref, cfg, host, out, err) < 0)
		return -1;
	if (scute_container_volumes_attach(s, out, err) < 0) {
		struct scute_err ignored;

		scute_container_remove_volumes(s, e, out->id, true, &ignored);
		scute_container_clear(out);
		return -1;
	}
	return 0;
}

/* ---- start ------------------------------------------------------------------ */

struct ns_lookup {
	struct scute_store *s;
	const struct scute_engine_paths *e;
};

/* --ipc container:REF and the like: REF's init, which must be running. */
static int running_init(void *arg, const char *ref, pid_t *pid, struct scute_err *err)
{
	struct ns_lookup *l = arg;
	struct scute_container c;
	int rc;

	if (scute_container_find(l->s->db, ref, &c, err) < 0)
		return -1;
	rc = scute_container_reconcile(l->s, l->e, &c, err);
	if (rc == 0 && c.status != SCUTE_CONTAINER_RUNNING)
		rc = scute_err_set(err, EINVAL, "container %.64s is not running", ref);
	*pid = c.pid;
	scute_container_clear(&c);
	return rc;
}

json_t *scute_container_start_config(struct scute_store *s, const struct scute_engine_paths *e,
				     const struct scute_oci_defaults *d,
				     const struct scute_container *c, struct scute_err *err)
{
	struct scute_container_place p;
	struct ns_lookup l = { s, e };
	struct scute_oci_inputs in = { .c = c, .d = d, .ns_lookup = running_init, .ns_arg = &l };
	auto_fd int rootfd = -1;
	struct scute_err ignored;
	json_t *oci = NULL;

	if (scute_container_place(e, c->id, &p, err) < 0 ||
	    scute_container_prepare(s, e, c, err) < 0)
		return NULL;
	rootfd = open(p.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		scute_err_sys(err, "container root %s", p.rootfs);
	in.rootfd = rootfd;
	in.run_dir = p.dir;
	in.volume_paths = rootfd >= 0 ? scute_container_volume_paths(s, c->id, err) : NULL;
	if (in.volume_paths)
		oci = scute_oci_config_derive(&in, err);
	json_decref(in.volume_paths);
	if (!oci)
		scute_rootfs_unmount(s, p.fs, &ignored);
	return oci;
}
