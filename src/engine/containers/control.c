/* pause, unpause and update (control.h); prune is in container_prune.c. */
#include "control.h"

#include <errno.h>
#include <string.h>

#include "base/cleanup.h"
#include "db.h"
#include "oci_resources.h"

/* The container `ref`, found and reconciled, into *c and *p. */
static int find_reconciled(struct scute_store *s, const struct scute_engine_paths *e,
			   const char *ref, struct scute_container *c,
			   struct scute_container_place *p, struct scute_err *err)
{
	if (scute_container_find(s->db, ref, c, err) < 0)
		return -1;
	if (scute_container_place(e, c->id, p, err) < 0 ||
	    scute_container_reconcile(s, e, c, err) < 0) {
		scute_container_clear(c);
		return -1;
	}
	return 0;
}

/* Whether libscute has the container's init running or paused. */
static bool init_alive(const struct scute_container_place *p, const char *id)
{
	struct scute_err ignored;
	auto_json json_t *st = scute_container_state(p->runtime, id, &ignored);
	const char *status = st ? json_string_value(json_object_get(st, "status")) : NULL;

	return status && (!strcmp(status, "running") || !strcmp(status, "paused"));
}

/* ---- pause, unpause --------------------------------------------------------- */

struct paused_args {
	const char *id;
	bool pause;
};

/* The status, unless the waiter recorded the container's end meanwhile. */
static int save_paused_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct paused_args *a = arg;
	struct scute_container c;
	int rc = 0;

	if (scute_container_find(db, a->id, &c, err) < 0)
		return -1;
	if (c.status == SCUTE_CONTAINER_RUNNING || c.status == SCUTE_CONTAINER_PAUSED) {
		c.status = a->pause ? SCUTE_CONTAINER_PAUSED : SCUTE_CONTAINER_RUNNING;
		rc = scute_container_save_state_tx(db, &c, err);
	}
	scute_container_clear(&c);
	return rc;
}

/* docker's refusals, in its words */
static int check_pausable(const struct scute_container *c, bool pause, struct scute_err *err)
{
	if (!pause)
		return c->status == SCUTE_CONTAINER_PAUSED
			       ? 0
			       : scute_err_set(err, EINVAL, "container %s is not paused", c->id);
	if (c->status == SCUTE_CONTAINER_PAUSED)
		return scute_err_set(err, EINVAL, "container %s is already paused", c->id);
	if (c->status == SCUTE_CONTAINER_RESTARTING)
		return scute_err_set(err, EINVAL,
				     "container %s is restarting, wait until the container is "
				     "running",
				     c->id);
	if (c->status != SCUTE_CONTAINER_RUNNING)
		return scute_err_set(err, EINVAL, "container %s is not running", c->id);
	return 0;
}

int scute_container_set_paused(struct scute_store *s, const struct scute_engine_paths *e,
			       const char *ref, bool pause, struct scute_err *err)
{
	struct scute_container c;
	struct scute_container_place p;
	struct paused_args a = { c.id, pause };
	int rc;

	if (find_reconciled(s, e, ref, &c, &p, err) < 0)
		return -1;
	rc = check_pausable(&c, pause, err);
	if (rc == 0)
		rc = scute_container_pause(p.runtime, c.id, pause, err);
	if (rc == 0)
		rc = scute_db_tx_state(s->db, save_paused_tx, &a, err);
	scute_container_clear(&c);
	return rc;
}

/* ---- update: the merge -------------------------------------------------------- */

/* The integer fields update changes when not 0, the strings when not "". */
static const char *const merged_ints[] = { "BlkioWeight", "CpuShares",	      "NanoCpus",
					   "CpuPeriod",	  "CpuQuota",	      "Memory",
					   "MemorySwap",  "MemoryReservation" };
static const char *const merged_strings[] = { "CpusetCpus", "CpusetMems" };

static int64_t int_of(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* Whether v is a value docker's zero values stand for "leave it": null,
 * 0, false, "", [] or {}. */
static bool is_unset(json_t *v)
{
	return !v || json_is_null(v) || json_is_false(v) ||
	       (json_is_integer(v) && !json_integer_value(v)) ||
	       (json_is_string(v) && !*json_string_value(v)) ||
	       (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_object(v) && !json_object_size(v));
}

static bool listed(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Every field of CHANGES is one update takes, of its type, or unset:
 * docker's clients send the whole Resources object, zeroes included. */
static int check_change_fields(json_t *changes, struct scute_err *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(changes))
		return scute_err_set(err, EINVAL, "update: expected a JSON object");
	json_object_foreach(changes, key, v)
	{
		bool is_int = listed(key, merged_ints, N(merged_ints)) || !strcmp(key, "PidsLimit");

		if (is_int && !json_is_integer(v) && !json_is_null(v))
			return scute_err_set(err, EINVAL, "update: %s: expected an integer", key);
		if (listed(key, merged_strings, N(merged_strings)) && !json_is_string(v) &&
		    !json_is_null(v))
			return scute_err_set(err, EINVAL, "update: %s: expected a string", key);
		if (!is_int && !listed(key, merged_strings, N(merged_strings)) &&
		    strcmp(key, "RestartPolicy") != 0 && !is_unset(v))
			return scute_err_set(err, EINVAL,
					     "update: %s: not a setting update can change", key);
	}
	return 0;
}

/* dockerd's conflicts between a change and what was set before. */
static int check_conflicts(json_t *had, json_t *changes, struct scute_err *err)
{
	int64_t nano = int_of(changes, "NanoCpus"), period = int_of(changes, "CpuPeriod");
	int64_t quota = int_of(changes, "CpuQuota"), memory = int_of(changes, "Memory");
	int64_t had_swap = int_of(had, "MemorySwap");

	if (nano > 0 && int_of(had, "CpuPeriod") > 0)
		return scute_err_set(err, EINVAL,
				     "conflicting options: Nano CPUs cannot be updated as CPU "
				     "Period has already been set");
	if (nano > 0 && int_of(had, "CpuQuota") > 0)
		return scute_err_set(err, EINVAL,
				     "conflicting options: Nano CPUs cannot be updated as CPU "
				     "Quota has already been set");
	if ((period > 0 || quota > 0) && int_of(had, "NanoCpus") > 0)
		return scute_err_set(err, EINVAL,
				     "conflicting options: CPU %s cannot be updated as NanoCPUs "
				     "has already been set",
				     period > 0 ? "Period" : "Quota");
	/* dockerd refuses this against a MemorySwap of 0 too, so a container
	 * made without limits could never get a memory limit alone; 0 (and
	 * -1) set no memory-and-swap limit, so only a limit is held to here */
	if (memory != 0 && had_swap > 0 && memory > had_swap && int_of(changes, "MemorySwap") == 0)
		return scute_err_set(err, EINVAL,
				     "memory limit should be smaller than already set memoryswap "
				     "limit, update the memoryswap at the same time");
	return 0;
}

/* The restart policy CHANGES sets, into *policy: NULL when its Name is
 * absent or "" (dockerd changes it only when it names one). */
static int policy_change(json_t *changes, json_t **policy, struct scute_err *err)
{
	json_t *p = json_object_get(changes, "RestartPolicy"), *name;
	const char *n;

	*policy = NULL;
	if (!p || json_is_null(p))
		return 0;
	name = json_object_get(p, "Name");
	if (!json_is_object(p) || (name && !json_is_null(name) && !json_is_string(name)))
		return scute_err_set(err, EINVAL,
				     "update: RestartPolicy: expected {\"Name\": NAME, "
				     "\"MaximumRetryCount\": N}");
	n = json_string_value(name);
	if (n && *n)
		*policy = p;
	return 0;
}

static int check_restart_policy(json_t *had, json_t *policy, struct scute_err *err)
{
	static const char *const names[] = { "no", "always", "unless-stopped", "on-failure" };
	const char *name = json_string_value(json_object_get(policy, "Name"));
	json_t *count = json_object_get(policy, "MaximumRetryCount");

	if (!listed(name, names, N(names)))
		return scute_err_set(err, EINVAL,
				     "invalid restart policy: unknown policy '%s'; use one of "
				     "'no', 'always', 'on-failure', or 'unless-stopped'",
				     name);
	if (count && !json_is_null(count) && !json_is_integer(count))
		return scute_err_set(
			err, EINVAL,
			"update: RestartPolicy.MaximumRetryCount: expected an integer");
	if (json_integer_value(count) < 0)
		return scute_err_set(err, EINVAL,
				     "invalid restart policy: maximum retry count cannot be "
				     "negative");
	if (json_integer_value(count) > 0 && strcmp(name, "on-failure") != 0)
		return scute_err_set(err, EINVAL,
				     "invalid restart policy: maximum retry count can only be used "
				     "with 'on-failure'");
	if (strcmp(name, "no") != 0 && json_is_true(json_object_get(had, "AutoRemove")))
		return scute_err_set(err, EINVAL,
				     "restart policy cannot be updated because AutoRemove is "
				     "enabled for the container");
	return 0;
}

/* had with the changes (checked) in it */
static json_t *merged_copy(json_t *had, json_t *changes, json_t *policy)
{
	auto_json json_t *out = json_deep_copy(had);
	json_t *pids = json_object_get(changes, "PidsLimit");

	if (!out)
		return NULL;
	for (size_t i = 0; i < N(merged_ints); i++)
		if (int_of(changes, merged_ints[i]) != 0 &&
		    json_object_set(out, merged_ints[i], json_object_get(changes, merged_ints[i])) <
			    0)
			return NULL;
	for (size_t i = 0; i < N(merged_strings); i++) {
		json_t *v = json_object_get(changes, merged_strings[i]);

		if (json_is_string(v) && *json_string_value(v) &&
		    json_object_set(out, merged_strings[i], v) < 0)
			return NULL;
	}
	if (json_is_integer(pids) && json_object_set(out, "PidsLimit", pids) < 0)
		return NULL;
	if (policy &&
	    json_object_set_new(
		    out, "RestartPolicy",
		    json_pack(
			    "{sO sI}", "Name", json_object_get(policy, "Name"), "MaximumRetryCount",
			    json_integer_value(json_object_get(policy, "MaximumRetryCount")))) < 0)
		return NULL;
	return scute_take_ptr(&out);
}

json_t *scute_host_config_merge_update(json_t *host_config, json_t *changes, struct scute_err *err)
{
	json_t *policy, *out;

	if (check_change_fields(changes, err) < 0 || policy_change(changes, &policy, err) < 0 ||
	    check_conflicts(host_config, changes, err) < 0 ||
	    (policy && check_restart_policy(host_config, policy, err) < 0))
		return NULL;
	out = merged_copy(host_config, changes, policy);
	if (!out)
		scute_err_set(err, ENOMEM, "update: out of memory");
	return out;
}

/* ---- update: applying it --------------------------------------------------- */

struct update_args {
	const char *id;
	json_t *changes;
};

/* Merged again with the record as it is now: an update committed since
 * this one read it is kept. */
static int save_host_config_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct update_args *a = arg;
	struct scute_container c;
	json_t *merged;
	int rc;

	if (scute_container_find(db, a->id, &c, err) < 0)
		return -1;
	merged = scute_host_config_merge_update(c.host_config, a->changes, err);
	rc = merged ? scute_container_set_host_config_tx(db, c.id, merged, err) : -1;
	json_decref(merged);
	scute_container_clear(&c);
	return rc;
}

static int update_one(struct scute_store *s, const struct scute_container *c,
		      const struct scute_container_place *p, json_t *changes, struct scute_err *err)
{
	struct update_args a = { c->id, changes };
	auto_json json_t *merged = NULL, *res = NULL;
	bool live = c->status == SCUTE_CONTAINER_RUNNING || c->status == SCUTE_CONTAINER_PAUSED ||
		    c->status == SCUTE_CONTAINER_RESTARTING;

	if (c->status == SCUTE_CONTAINER_REMOVING || c->status == SCUTE_CONTAINER_DEAD)
		return scute_err_set(err, EINVAL, "container is marked for removal");
	merged = scute_host_config_merge_update(c->host_config, changes, err);
	if (!merged)
		return -1;
	res = scute_oci_resources_from_host_config(merged, err);
	if (!res)
		return -1;
	/* restarting: between two runs, with no cgroup to change; the next
	 * run starts from the record */
	if (live && init_alive(p, c->id) &&
	    scute_container_update(p->runtime, c->id, res, "update", err) < 0)
		return -1;
	return scute_db_tx(s->db, save_host_config_tx, &a, err);
}

int scute_container_apply_update(struct scute_store *s, const struct scute_engine_paths *e,
				 const char *ref, json_t *changes, struct scute_err *err)
{
	struct scute_container c;
	struct scute_container_place p;
	int rc;

	if (find_reconciled(s, e, ref, &c, &p, err) < 0)
		return -1;
	rc = update_one(s, &c, &p, changes, err);
	if (rc < 0)
		scute_err_prefix(err, "cannot update container %s", c.id);
	scute_container_clear(&c);
	return rc;
}
