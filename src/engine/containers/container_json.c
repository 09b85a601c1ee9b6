/* Docker's JSON shapes of a container (container_json.h). */
#include "container_json.h"
#include "oci_config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void scute_time_rfc3339_nano(int64_t ns, char *out, size_t size)
{
	time_t secs = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	struct tm tm;
	char date[32], digits[16] = "";

	if (ns <= 0 || !gmtime_r(&secs, &tm)) {
		snprintf(out, size, "0001-01-01T00:00:00Z");
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac) {
		size_t len;

		snprintf(digits, sizeof(digits), ".%09ld", frac);
		len = strlen(digits);
		while (len > 1 && digits[len - 1] == '0')
			digits[--len] = '\0';
	}
	snprintf(out, size, "%s%sZ", date, digits);
}

static json_t *time_json(int64_t ns)
{
	char buf[48];

	scute_time_rfc3339_nano(ns, buf, sizeof(buf));
	return json_string(buf);
}

/* The command docker shows: the entrypoint, then the command. */
static json_t *command_args(const struct scute_container *c)
{
	json_t *args = json_array();
	const char *keys[] = { "Entrypoint", "Cmd" };

	for (size_t k = 0; args && k < 2; k++) {
		json_t *v = json_object_get(c->config, keys[k]), *e;
		size_t i;

		json_array_foreach(v, i, e) json_array_append(args, e);
	}
	return args;
}

static json_t *state_json(const struct scute_container *c)
{
	enum scute_container_status s = c->status;

	return json_pack("{ss sb sb sb sb sb si si ss so so}", "Status",
			 scute_container_status_name(s), "Running",
			 s == SCUTE_CONTAINER_RUNNING || s == SCUTE_CONTAINER_PAUSED ||
				 s == SCUTE_CONTAINER_RESTARTING,
			 "Paused", s == SCUTE_CONTAINER_PAUSED, "Restarting",
			 s == SCUTE_CONTAINER_RESTARTING, "OOMKilled", c->oom_killed, "Dead",
			 s == SCUTE_CONTAINER_DEAD, "Pid",
			 s == SCUTE_CONTAINER_RUNNING || s == SCUTE_CONTAINER_PAUSED ? (int)c->pid
										     : 0,
			 "ExitCode", c->exit_code, "Error", c->error ? c->error : "", "StartedAt",
			 time_json(c->started_at), "FinishedAt", time_json(c->finished_at));
}

static json_t *graph_driver(const struct scute_container_paths *p)
{
	const struct scute_container_paths none = { 0 };

	if (!p)
		p = &none;
	return json_pack("{ss s{ss ss ss ss}}", "Name", "overlay2", "Data", "LowerDir",
			 p->lower ? p->lower : "", "UpperDir", p->upper ? p->upper : "", "WorkDir",
			 p->work ? p->work : "", "MergedDir", p->merged ? p->merged : "");
}

static json_t *network_settings(const struct scute_container *c)
{
	json_t *mode = json_object_get(c->host_config, "NetworkMode");
	const char *name = json_is_string(mode) ? json_string_value(mode) : "none";

	return json_pack("{ss so so s{s{}}}", "SandboxKey", "", "Ports", json_object(),
			 "SecondaryIPAddresses", json_null(), "Networks", name);
}

/* Docker's Config and HostConfig with every field that is always there
 * (Go's zero values); the record holds only what was set, and inspect
 * shows the rest as dockerd does: "Memory": 0, "Binds": null. */
static const char config_zero[] =
	"{\"Hostname\": \"\", \"Domainname\": \"\", \"User\": \"\", \"AttachStdin\": false,"
	" \"AttachStdout\": false, \"AttachStderr\": false, \"Tty\": false,"
	" \"OpenStdin\": false, \"StdinOnce\": false, \"Env\": null, \"Cmd\": null,"
	" \"Image\": \"\", \"Volumes\": null, \"WorkingDir\": \"\", \"Entrypoint\": null,"
	" \"OnBuild\": null, \"Labels\": null}";

static const char host_config_zero[] =
	"{\"Binds\": null, \"ContainerIDFile\": \"\", \"LogConfig\": {\"Type\": \"\", \"Config\": null},"
	" \"NetworkMode\": \"\", \"PortBindings\": null,"
	" \"RestartPolicy\": {\"Name\": \"\", \"MaximumRetryCount\": 0}, \"AutoRemove\": false,"
	" \"VolumeDriver\": \"\", \"VolumesFrom\": null, \"CapAdd\": null, \"CapDrop\": null,"
	" \"CgroupnsMode\": \"\", \"Dns\": null, \"DnsOptions\": null, \"DnsSearch\": null,"
	" \"ExtraHosts\": null, \"GroupAdd\": null, \"IpcMode\": \"\", \"Cgroup\": \"\","
	" \"Links\": null, \"OomScoreAdj\": 0, \"PidMode\": \"\", \"Privileged\": false,"
	" \"PublishAllPorts\": false, \"ReadonlyRootfs\": false, \"SecurityOpt\": null,"
	" \"UTSMode\": \"\", \"UsernsMode\": \"\", \"ShmSize\": 0, \"ConsoleSize\": [0, 0],"
	" \"Isolation\": \"\", \"CpuShares\": 0, \"Memory\": 0, \"NanoCpus\": 0,"
	" \"CgroupParent\": \"\", \"BlkioWeight\": 0, \"BlkioWeightDevice\": null,"
	" \"BlkioDeviceReadBps\": null, \"BlkioDeviceWriteBps\": null,"
	" \"BlkioDeviceReadIOps\": null, \"BlkioDeviceWriteIOps\": null, \"CpuPeriod\": 0,"
	" \"CpuQuota\": 0, \"CpuRealtimePeriod\": 0, \"CpuRealtimeRuntime\": 0,"
	" \"CpusetCpus\": \"\", \"CpusetMems\": \"\", \"Devices\": null,"
	" \"DeviceCgroupRules\": null, \"DeviceRequests\": null, \"KernelMemory\": 0,"
	" \"KernelMemoryTCP\": 0, \"MemoryReservation\": 0, \"MemorySwap\": 0,"
	" \"MemorySwappiness\": null, \"OomKillDisable\": false, \"PidsLimit\": null,"
	" \"Ulimits\": null, \"CpuCount\": 0, \"CpuPercent\": 0, \"IOMaximumIOps\": 0,"
	" \"IOMaximumBandwidth\": 0}";

/* ZERO with the record's fields over it, in docker's order. */
static json_t *docker_shape(const char *zero, json_t *record)
{
	json_t *out = json_loads(zero, JSON_REJECT_DUPLICATES, NULL);

	if (out && json_object_update(out, record) < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* Config as docker shows it; an unset hostname is the one the container
 * gets (scute_container_hostname), which dockerd records at create. */
static json_t *config_json(const struct scute_container *c)
{
	json_t *out = docker_shape(config_zero, c->config);
	char host[256];

	scute_container_hostname(c, host, sizeof(host));
	if (out && !json_string_length(json_object_get(out, "Hostname")))
		json_object_set_new(out, "Hostname", json_string(host));
	return out;
}

json_t *scute_container_inspect_json(const struct scute_container *c,
				     const struct scute_container_paths *paths)
{
	json_t *args = command_args(c), *path;
	char name[SCUTE_CONTAINER_NAME_MAX + 2];

	if (!args)
		return NULL;
	path = json_array_size(args) ? json_incref(json_array_get(args, 0)) : json_string("");
	json_array_remove(args, 0);
	snprintf(name, sizeof(name), "/%s", c->name);
	return json_pack("{ss so so so so ss ss ss ss ss ss si ss ss ss ss ss so* so* so so* so*"
			 " so*}",
			 "Id", c->id, "Created", time_json(c->created), "Path", path, "Args", args,
			 "State", state_json(c), "Image", c->image ? c->image : "",
			 "ResolvConfPath", "", "HostnamePath", "", "HostsPath", "", "LogPath", "",
			 "Name", name, "RestartCount", c->restart_count, "Driver", "overlay2",
			 "Platform", "linux", "MountLabel", "", "ProcessLabel", "",
			 "AppArmorProfile", "", "ExecIDs", json_null(), "HostConfig",
			 docker_shape(host_config_zero, c->host_config), "GraphDriver",
			 graph_driver(paths), "Mounts", json_array(), "Config", config_json(c),
			 "NetworkSettings", network_settings(c));
}

/* The command as dockerd lists it: the path, then the arguments, each
 * with a space in it between single quotes. */
static json_t *command_string(const struct scute_container *c)
{
	json_t *args = command_args(c), *e;
	size_t i, len = 0;
	char *s = NULL;
	json_t *out = NULL;
	FILE *f;

	if (!args)
		return NULL;
	f = open_memstream(&s, &len);
	if (!f) {
		json_decref(args);
		return NULL;
	}
	json_array_foreach(args, i, e)
	{
		const char *a = json_string_value(e) ? json_string_value(e) : "";
		const char *q = i > 0 && strchr(a, ' ') ? "'" : "";

		fprintf(f, "%s%s%s%s", i ? " " : "", q, a, q);
	}
	if (fclose(f) == 0)
		out = json_string(s);
	json_decref(args);
	free(s);
	return out;
}

json_t *scute_container_list_entry(const struct scute_container *c)
{
	json_t *labels = json_object_get(c->config, "Labels");
	json_t *mode = json_object_get(c->host_config, "NetworkMode");
	char name[SCUTE_CONTAINER_NAME_MAX + 2];

	snprintf(name, sizeof(name), "/%s", c->name);
	return json_pack("{ss s[s] ss ss so* sI ss so s[] s{ss sb} sI sI si}", "Id", c->id, "Names",
			 name, "Image", c->image_ref, "ImageID", c->image ? c->image : "",
			 "Command", command_string(c), "Created",
			 (json_int_t)(c->created / 1000000000), "State",
			 scute_container_status_name(c->status), "Labels",
			 json_is_object(labels) ? json_incref(labels) : json_object(), "Mounts",
			 "HostConfig", "NetworkMode",
			 json_is_string(mode) ? json_string_value(mode) : "none", "Privileged",
			 json_is_true(json_object_get(c->host_config, "Privileged")), "StartedAt",
			 (json_int_t)c->started_at, "FinishedAt", (json_int_t)c->finished_at,
			 "ExitCode", c->exit_code);
}
