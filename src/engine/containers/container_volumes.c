/* A container's volumes (container_volumes.h): linked at create, as
 * dockerd makes them then, found again at start, and the anonymous ones
 * removed with the container when it asks for that (rm -v, --rm). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "container_volumes.h"
#include "oci_config.h"
#include "volume_store.h"

static int use(struct scute_store *s, const char *id, const char *name, const char *dst,
	       struct scute_err *err)
{
	char path[PATH_MAX];

	return scute_volume_use(s, id, name, dst, name == NULL, path, sizeof(path), err);
}

/* -v NAME:/dst[:opts] (a source that is not a path names a volume) */
static int bind_volumes(struct scute_store *s, const struct scute_container *c,
			struct scute_err *err)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(c->host_config, "Binds"), i, v)
	{
		char name[256], dst[PATH_MAX];
		const char *b = json_string_value(v), *colon = b ? strchr(b, ':') : NULL;
		size_t dlen;

		if (!colon || b[0] == '/' || (size_t)(colon - b) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(colon - b), b);
		dlen = strcspn(colon + 1, ":");
		snprintf(dst, sizeof(dst), "%.*s", (int)dlen, colon + 1);
		if (use(s, c->id, name, dst, err) < 0)
			return scute_err_prefix(err, "HostConfig.Binds[%zu]", i);
	}
	return 0;
}

static int mount_volumes(struct scute_store *s, const struct scute_container *c,
			 struct scute_err *err)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(c->host_config, "Mounts"), i, m)
	{
		const char *src = json_string_value(json_object_get(m, "Source"));

		if (strcmp(json_string_value(json_object_get(m, "Type")) ?: "", "volume"))
			continue;
		if (use(s, c->id, src && src[0] ? src : NULL,
			json_string_value(json_object_get(m, "Target")), err) < 0)
			return scute_err_prefix(err, "HostConfig.Mounts[%zu]", i);
	}
	return 0;
}

/* Config.Volumes (the image's VOLUME and -v /path): anonymous, unless a
 * bind, mount or tmpfs of the request covers that destination already. */
static int anonymous_volumes(struct scute_store *s, const struct scute_container *c,
			     struct scute_err *err)
{
	auto_json json_t *have = scute_volumes_of(s, c->id, err);
	const char *dst;
	json_t *v;

	if (!have)
		return -1;
	json_object_foreach(json_object_get(c->config, "Volumes"), dst, v)
	{
		if (json_object_get(have, dst) || scute_oci_mounted_at(c->host_config, dst))
			continue;
		if (use(s, c->id, NULL, dst, err) < 0)
			return scute_err_prefix(err, "Config.Volumes %.200s", dst);
	}
	return 0;
}

int scute_container_volumes_attach(struct scute_store *s, const struct scute_container *c,
				   struct scute_err *err)
{
	if (bind_volumes(s, c, err) < 0 || mount_volumes(s, c, err) < 0 ||
	    anonymous_volumes(s, c, err) < 0)
		return -1;
	return 0;
}

json_t *scute_container_volume_paths(struct scute_store *s, const char *id, struct scute_err *err)
{
	return scute_volumes_of(s, id, err);
}

int scute_container_remove_volumes(struct scute_store *s, const struct scute_engine_paths *e,
				   const char *ref, bool force, struct scute_err *err)
{
	struct scute_container c;
	auto_json json_t *anon = NULL;
	size_t i;
	json_t *name;

	if (scute_container_find(s->db, ref, &c, err) < 0)
		return -1;
	anon = scute_volumes_anonymous_of(s, c.id, err);
	if (!anon || scute_container_remove(s, e, c.id, force, err) < 0) {
		scute_container_clear(&c);
		return -1;
	}
	scute_container_clear(&c);
	json_array_foreach(anon, i, name)
	{
		struct scute_err one = { 0 };

		/* another container may use it meanwhile (--volumes-from later):
		 * then it stays, as docker leaves it */
		if (scute_volume_remove(s, json_string_value(name), true, &one) < 0 &&
		    one.code != EBUSY)
			scute_log(SCUTE_LOG_WARN, "%s", one.msg);
	}
	return 0;
}
