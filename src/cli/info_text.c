/* scute info as text: docker's lines and order for what docker shows,
 * then the engine's settings and the container defaults, each with the
 * place it came from ("built-in" or the config file). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "cli_info.h"

void cli_bytes_binary(double bytes, char *out, size_t size)
{
	static const char *const units[] = { "B",   "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB", "ZiB", "YiB" };
	size_t i = 0;

	while (bytes >= 1024 && i < sizeof(units) / sizeof(units[0]) - 1) {
		bytes /= 1024;
		i++;
	}
	snprintf(out, size, "%.4g%s", bytes, units[i]);
}

static const char *str(json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "";
}

static long long num(json_t *doc, const char *key)
{
	return (long long)json_integer_value(json_object_get(doc, key));
}

/* "name=seccomp,profile=builtin" as docker prints it: the name, then
 * each property title-cased one level deeper. */
static void security_option(FILE *out, const char *opt)
{
	auto_free char *copy = strdup(opt);
	char *save = NULL, *part;

	if (!copy)
		return;
	for (part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(part, '=');

		if (!eq)
			continue;
		*eq = '\0';
		if (!strcmp(part, "name")) {
			fprintf(out, "  %s\n", eq + 1);
		} else if (!strcmp(part, "abi")) {
			fprintf(out, "   ABI: %s\n", eq + 1);
		} else {
			part[0] = (char)(part[0] >= 'a' && part[0] <= 'z' ? part[0] - 32 : part[0]);
			fprintf(out, "   %s: %s\n", part, eq + 1);
		}
	}
}

static void server_lines(json_t *doc, FILE *out)
{
	char mem[32];
	json_t *v, *reg = json_object_get(doc, "RegistryConfig");
	const char *k;
	size_t i;

	fprintf(out,
		"Server:\n Containers: %lld\n  Running: %lld\n  Paused: %lld\n  Stopped: %lld\n"
		" Images: %lld\n Server Version: %s\n Storage Driver: %s\n Logging Driver: %s\n"
		" Cgroup Driver: %s\n Cgroup Version: %s\n Security Options:\n",
		num(doc, "Containers"), num(doc, "ContainersRunning"), num(doc, "ContainersPaused"),
		num(doc, "ContainersStopped"), num(doc, "Images"), str(doc, "ServerVersion"),
		str(doc, "Driver"), str(doc, "LoggingDriver"), str(doc, "CgroupDriver"),
		str(doc, "CgroupVersion"));
	json_array_foreach(json_object_get(doc, "SecurityOptions"), i, v)
		security_option(out, json_string_value(v));
	cli_bytes_binary((double)num(doc, "MemTotal"), mem, sizeof(mem));
	fprintf(out,
		" Kernel Version: %s\n Operating System: %s\n OSType: %s\n Architecture: %s\n"
		" CPUs: %lld\n Total Memory: %s\n Name: %s\n Docker Root Dir: %s\n"
		" Debug Mode: %s\n Insecure Registries:\n",
		str(doc, "KernelVersion"), str(doc, "OperatingSystem"), str(doc, "OSType"),
		str(doc, "Architecture"), num(doc, "NCPU"), mem, str(doc, "Name"),
		str(doc, "DockerRootDir"),
		json_is_true(json_object_get(doc, "Debug")) ? "true" : "false");
	json_object_foreach(json_object_get(reg, "IndexConfigs"), k, v) fprintf(out, "  %s\n", k);
	json_array_foreach(json_object_get(reg, "InsecureRegistryCIDRs"), i, v)
		fprintf(out, "  %s\n", json_string_value(v));
}

static void engine_lines(json_t *doc, FILE *out)
{
	json_t *e = json_object_get(doc, "ScuteEngine");
	char size[32];

	cli_bytes_binary((double)num(e, "MaxLayerSize"), size, sizeof(size));
	fprintf(out, " Engine Config: %s\n Exec Root: %s\n Certs Dir: %s\n Max Layer Size: %s\n",
		json_is_string(json_object_get(e, "ConfigFile")) ? str(e, "ConfigFile") : "none",
		str(e, "ExecRoot"), str(e, "CertsDir"), size);
}

/* A default's value as one line: lists joined, "none" for nothing. */
static void value_text(FILE *f, const char *key, json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;
	char b[32];

	if (json_is_null(v) || (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_object(v) && !json_object_size(v))) {
		fputs("none", f);
	} else if (json_is_string(v)) {
		fputs(json_string_value(v), f);
	} else if (json_is_boolean(v)) {
		fputs(json_is_true(v) ? "true" : "false", f);
	} else if (!strcmp(key, "ShmSize")) {
		cli_bytes_binary((double)json_integer_value(v), b, sizeof(b));
		fputs(b, f);
	} else if (!strcmp(key, "PidsLimit") && json_integer_value(v) < 0) {
		fputs("unlimited", f);
	} else if (json_is_integer(v)) {
		fprintf(f, "%lld", (long long)json_integer_value(v));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
		{
			if (json_is_object(e)) /* a ulimit, as docker's --ulimit writes it */
				fprintf(f, "%s%s=%lld:%lld", i ? ", " : "", str(e, "Name"),
					num(e, "Soft"), num(e, "Hard"));
			else
				fprintf(f, "%s%s", i ? ", " : "", json_string_value(e));
		}
	} else {
		i = 0;
		json_object_foreach(v, k, e)
			fprintf(f, "%s%s=%s", i++ ? ", " : "", k, json_string_value(e));
	}
}

static const struct {
	const char *key, *label;
} default_labels[] = {
	{ "Capabilities", "Capabilities" },
	{ "NoNewPrivileges", "No New Privileges" },
	{ "SeccompProfile", "Seccomp Profile" },
	{ "AppArmorProfile", "AppArmor Profile" },
	{ "PidsLimit", "Pids Limit" },
	{ "Ulimits", "Ulimits" },
	{ "ShmSize", "Shm Size" },
	{ "CgroupnsMode", "Cgroupns Mode" },
	{ "Init", "Init" },
	{ "InitPath", "Init Path" },
	{ "LogDriver", "Log Driver" },
	{ "LogOpts", "Log Opts" },
	{ "NetworkMode", "Network Mode" },
	{ "MaskedPaths", "Masked Paths" },
	{ "ReadonlyPaths", "Readonly Paths" },
};

static void defaults_lines(json_t *doc, FILE *out)
{
	json_t *defaults = json_object_get(doc, "ScuteDefaults");

	fputs(" Container Defaults:\n", out);
	for (size_t i = 0; i < sizeof(default_labels) / sizeof(default_labels[0]); i++) {
		json_t *d = json_object_get(defaults, default_labels[i].key);

		fprintf(out, "  %s: ", default_labels[i].label);
		value_text(out, default_labels[i].key, json_object_get(d, "Value"));
		fprintf(out, " (%s)\n", str(d, "Source"));
	}
}

int cli_info_print_text(json_t *doc, FILE *out, struct scute_err *err)
{
	fprintf(out, "Client:\n Version:    %s\n Debug Mode: %s\n\n", str(doc, "ServerVersion"),
		json_is_true(json_object_get(doc, "Debug")) ? "true" : "false");
	server_lines(doc, out);
	engine_lines(doc, out);
	defaults_lines(doc, out);
	if (fflush(out) != 0 || ferror(out))
		return scute_err_sys(err, "info: write");
	return 0;
}
