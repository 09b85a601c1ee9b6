/* scute info: what the engine is and runs on, in docker's words (its
 * text, and its JSON keys under --format), plus the defaults every new
 * container gets and where each comes from (container_defaults.h).
 * Everything shown is read from the host, the store and the config:
 * a security option is listed only when the kernel has it. */
#include <errno.h>
#include <getopt.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_info.h"
#include "container_defaults.h"
#include "container_list.h"
#include "format.h"
#include "image_json.h"
#include "store.h"
#include "unpack.h"

/* A KEY="value" line of os-release, unquoted, or "" if absent. */
static void os_release(const char *key, char *out, size_t size)
{
	auto_fclose FILE *f = fopen("/etc/os-release", "re");
	char line[512];
	size_t klen = strlen(key);

	out[0] = '\0';
	if (!f)
		f = fopen("/usr/lib/os-release", "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *v = line + klen + 1;

		if (strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		v[strcspn(v, "\n")] = '\0';
		if (*v == '"' || *v == '\'') {
			size_t n = strlen(v);

			if (n >= 2 && v[n - 1] == *v)
				v[n - 1] = '\0';
			v++;
		}
		snprintf(out, size, "%s", v);
		return;
	}
}

static long cpu_count(void)
{
	cpu_set_t set;

	/* as Go's runtime.NumCPU, which docker reports: the CPUs we may use */
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static const char *cgroup_version(void)
{
	struct statfs fs;

	if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
		return "2";
	return "1";
}

static json_t *host_facts(void)
{
	struct utsname u;
	struct sysinfo si;
	char pretty[256], version[64];

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	if (sysinfo(&si) < 0)
		memset(&si, 0, sizeof(si));
	os_release("PRETTY_NAME", pretty, sizeof(pretty));
	os_release("VERSION_ID", version, sizeof(version));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "KernelVersion",
			 u.release, "OperatingSystem", pretty[0] ? pretty : "Linux", "OSVersion",
			 version, "OSType", "linux", "Architecture", u.machine, "NCPU",
			 (json_int_t)cpu_count(), "MemTotal",
			 (json_int_t)((unsigned long long)si.totalram * si.mem_unit), "Name",
			 u.nodename, "Driver", "overlay2", "CgroupDriver", "cgroupfs",
			 "CgroupVersion", cgroup_version());
}

static bool note_enabled(json_t *notes, const char *key)
{
	const char *v = json_string_value(json_object_get(notes, key));

	return v && !strcmp(v, "enabled");
}

/* docker's SecurityOptions: "name=seccomp,profile=builtin", ... for what
 * this kernel has and new containers get. */
static json_t *security_options(const struct scute_container_defaults *d)
{
	auto_json json_t *features = scute_features();
	json_t *notes = json_object_get(features, "annotations");
	const char *abi = json_string_value(json_object_get(notes, "org.scute.landlock.abi"));
	json_t *opts = json_array();
	char s[PATH_MAX + 64];

	if (!opts)
		return NULL;
	if (note_enabled(notes, "org.scute.apparmor.host"))
		json_array_append_new(opts, json_string("name=apparmor"));
	/* PR_GET_SECCOMP fails with EINVAL on a kernel without seccomp */
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0) {
		snprintf(s, sizeof(s), "name=seccomp,profile=%s", d->seccomp);
		json_array_append_new(opts, json_string(s));
	}
	if (note_enabled(notes, "org.scute.selinux.host"))
		json_array_append_new(opts, json_string("name=selinux"));
	if (abi && strcmp(abi, "0") != 0) {
		snprintf(s, sizeof(s), "name=landlock,abi=%s", abi);
		json_array_append_new(opts, json_string(s));
	}
	if (d->no_new_privileges)
		json_array_append_new(opts, json_string("name=no-new-privileges"));
	if (!strcmp(d->cgroupns_mode, "private"))
		json_array_append_new(opts, json_string("name=cgroupns"));
	return opts;
}

/* docker's RegistryConfig: CIDRs, and names as index configs that are
 * not secure; loopback is always allowed plain HTTP, as docker lists it. */
static json_t *registry_config(const struct cli *c)
{
	json_t *cidrs = json_pack("[s, s]", "127.0.0.0/8", "::1/128"), *index = json_object();

	for (size_t i = 0; i < c->cfg.n_insecure_registries; i++) {
		const char *r = c->cfg.insecure_registries[i];

		if (strchr(r, '/'))
			json_array_append_new(cidrs, json_string(r));
		else
			json_object_set_new(index, r,
					    json_pack("{s:s, s:[], s:b, s:b}", "Name", r, "Mirrors",
						      "Secure", 0, "Official", 0));
	}
	return json_pack("{s:o, s:o}", "InsecureRegistryCIDRs", cidrs, "IndexConfigs", index);
}

struct counts {
	json_int_t running, paused, stopped, images;
};

/* The containers (reconciled with the kernel, as ps shows them) and
 * images of the store; a store that does not exist has none, and is not
 * made by looking. */
static int store_counts(struct cli *c, struct counts *n, struct scute_err *err)
{
	struct scute_store s;
	struct scute_engine_paths e;
	auto_json json_t *list = NULL, *images = NULL;
	struct stat st;
	json_t *ctr;
	size_t i;

	memset(n, 0, sizeof(*n));
	if (stat(c->root, &st) < 0 && errno == ENOENT)
		return 0;
	/* writing: the list records what reconciling with the kernel finds */
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, err) < 0)
		return -1;
	if (cli_engine_paths(c, &e, err) == 0 &&
	    (list = scute_containers_list(&s, &e, true, NULL, err)))
		images = scute_images_list(&s, err);
	scute_store_close(&s);
	if (!images)
		return -1;
	json_array_foreach(list, i, ctr)
	{
		const char *state = json_string_value(json_object_get(ctr, "State"));

		if (!strcmp(state, "running") || !strcmp(state, "restarting"))
			n->running++;
		else if (!strcmp(state, "paused"))
			n->paused++;
		else
			n->stopped++;
	}
	n->images = (json_int_t)json_array_size(images);
	return 0;
}

/* scute's own: the engine config read and the settings beside the
 * container defaults. */
static json_t *engine_settings(const struct cli *c)
{
	const struct scute_engine_config *g = &c->cfg;

	return json_pack(
		"{s:s?, s:s, s:s, s:I}", "ConfigFile", g->path, "ExecRoot",
		g->exec_root ? g->exec_root : SCUTE_EXEC_ROOT_DEFAULT, "CertsDir",
		g->certs_dir ? g->certs_dir : "/etc/docker/certs.d", "MaxLayerSize",
		(json_int_t)(g->max_layer_size ? g->max_layer_size : SCUTE_LAYER_MAX_SIZE_DEFAULT));
}

static json_t *info_doc(struct cli *c, const struct scute_container_defaults *d,
			struct scute_err *err)
{
	struct counts n;
	json_t *doc;

	if (store_counts(c, &n, err) < 0)
		return NULL;
	doc = host_facts();
	if (!doc ||
	    json_object_update_missing_new(
		    doc,
		    json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:b, s:o, s:o, s:o, "
			      "s:o}",
			      "Containers", n.running + n.paused + n.stopped, "ContainersRunning",
			      n.running, "ContainersPaused", n.paused, "ContainersStopped",
			      n.stopped, "Images", n.images, "LoggingDriver", d->log_driver,
			      "DockerRootDir", c->abs_root[0] ? c->abs_root : c->root,
			      "ServerVersion", SCUTE_VERSION, "Debug", c->debug, "SecurityOptions",
			      security_options(d), "RegistryConfig", registry_config(c),
			      "ScuteEngine", engine_settings(c), "ScuteDefaults",
			      scute_container_defaults_json(d))) < 0) {
		json_decref(doc);
		scute_err_set(err, ENOMEM, "info: out of memory");
		return NULL;
	}
	return doc;
}

int cli_print_template(json_t *doc, const char *format, struct scute_err *err)
{
	struct scute_format_defaults fd = { NULL, NULL, false };
	/* docker's --format json is {{json .}} */
	struct scute_format *f =
		scute_format_parse(!strcmp(format, "json") ? "{{json .}}" : format, &fd, err);
	int rc;

	if (!f)
		return -1;
	rc = scute_format_row(f, doc, err);
	if (rc == 0)
		rc = scute_format_flush(f, stdout, err);
	scute_format_free(f);
	return rc;
}

int cmd_info(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("info");
	struct scute_container_defaults d;
	struct scute_err err = { 0 };
	const char *format = NULL;
	auto_json json_t *doc = NULL;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': format = optarg; break;
		case 'h': return cli_usage(v, 0);
		default: return cli_usage(v, CLI_EXIT_FAIL);
		}
	}
	if (optind < argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (format && cli_check_template(!strcmp(format, "json") ? NULL : format, &err) < 0)
		return cli_fail(&err);
	if (scute_container_defaults_resolve(&c->cfg, c->cfg.path, &d, &err) < 0)
		return cli_fail(&err);
	doc = info_doc(c, &d, &err);
	scute_container_defaults_free(&d);
	if (!doc)
		return cli_fail(&err);
	rc = format ? cli_print_template(doc, format, &err)
		    : cli_info_print_text(doc, stdout, &err);
	return rc < 0 ? cli_fail(&err) : 0;
}
