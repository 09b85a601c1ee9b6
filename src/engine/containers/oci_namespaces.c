/* Namespaces from HostConfig.IpcMode, PidMode, UTSMode, CgroupnsMode and
 * NetworkMode (oci_config.h): a new one, the host's (no entry), or another
 * container's (the path of its init's). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "oci_config.h"

struct ns_field {
	const char *field;	  /* in HostConfig */
	const char *type;	  /* the OCI namespace */
	const char *const *modes; /* besides host and container:REF, "" means the default */
	bool container_ok;
};

static const char *const ipc_modes[] = { "", "private", "shareable", "none", NULL };
static const char *const pid_modes[] = { "", "private", NULL };
static const char *const uts_modes[] = { "", NULL };
static const char *const cgroupns_modes[] = { "", "private", NULL };
static const char *const network_modes[] = { "", "none", NULL };

static const struct ns_field fields[] = {
	{ "IpcMode", "ipc", ipc_modes, true },
	{ "PidMode", "pid", pid_modes, true },
	{ "UTSMode", "uts", uts_modes, false },
	{ "CgroupnsMode", "cgroup", cgroupns_modes, false },
	{ "NetworkMode", "network", network_modes, true },
};

static json_t *find_ns(json_t *list, const char *type, size_t *index)
{
	size_t i;
	json_t *ns;

	json_array_foreach(list, i,
			   ns) if (!strcmp(json_string_value(json_object_get(ns, "type")), type))
	{
		*index = i;
		return ns;
	}
	return NULL;
}

static bool listed(const char *const *modes, const char *mode)
{
	for (; *modes; modes++)
		if (!strcmp(*modes, mode))
			return true;
	return false;
}

static int join_container(json_t *ns, const struct ns_field *f, const char *ref,
			  const struct scute_oci_inputs *in, struct scute_err *err)
{
	char path[64];
	pid_t pid;

	if (!in->ns_lookup) /* at create: checked when it starts */
		return 0;
	if (in->ns_lookup(in->ns_arg, ref, &pid, err) < 0)
		return scute_err_prefix(err, "HostConfig.%s", f->field);
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, f->type);
	return json_object_set_new(ns, "path", json_string(path));
}

static int one_namespace(json_t *spec, const struct ns_field *f, const struct scute_oci_inputs *in,
			 struct scute_err *err)
{
	json_t *list = json_object_get(json_object_get(spec, "linux"), "namespaces");
	json_t *v = json_object_get(in->c->host_config, f->field);
	const char *mode = v ? json_string_value(v) : "";
	size_t index = 0;
	json_t *ns = find_ns(list, f->type, &index);

	if (!mode)
		return scute_err_set(err, EINVAL, "HostConfig.%s: not a string", f->field);
	if (!ns) /* the base shares it already (never, with the hardened base) */
		return 0;
	if (!strcmp(mode, "host"))
		return json_array_remove(list, index);
	if (f->container_ok && !strncmp(mode, "container:", 10) && mode[10])
		return join_container(ns, f, mode + 10, in, err);
	if (listed(f->modes, mode))
		return 0;
	if (!strcmp(f->field, "NetworkMode"))
		return scute_err_set(
			err, EOPNOTSUPP,
			"HostConfig.NetworkMode: network \"%.100s\": only none, host and "
			"container:NAME are available (bridge networks come later)",
			mode);
	return scute_err_set(err, EINVAL, "HostConfig.%s: invalid mode \"%.100s\"", f->field, mode);
}

int scute_oci_namespaces(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	const char *uts = json_string_value(json_object_get(in->c->host_config, "UTSMode"));

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (one_namespace(spec, &fields[i], in, err) < 0)
			return -1;
	/* a hostname can only be set in a UTS namespace of the container's own */
	if (uts && !strcmp(uts, "host"))
		json_object_del(spec, "hostname");
	return 0;
}
