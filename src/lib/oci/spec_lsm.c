/* The security-module fields of config.json: process.apparmorProfile,
 * process.selinuxLabel, linux.mountLabel and the process.landlock
 * extension. Whether the host can apply them is checked at create
 * (container.c), not here: a config is valid on its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "landlock_rules.h"
#include "spec_walk.h"

/* An array of right names of one kind, as a bit set. */
static int parse_rights(struct spec_walk *w, json_t *obj, const char *path, const char *key,
			enum scute_landlock_kind kind, uint64_t *out)
{
	json_t *arr, *item;
	size_t i;

	*out = 0;
	if (walk_array(w, obj, path, key, false, &arr) < 0)
		return -1;
	json_array_foreach(arr, i, item)
	{
		const char *name = json_string_value(item);
		uint64_t bit = name ? scute_landlock_right(kind, name) : 0;
		if (!bit)
			return walk_fail(w, path,
					 "%s[%zu]: %s%s%s is not a Landlock right of this "
					 "kind",
					 key, i, name ? "\"" : "", name ? name : "not a string",
					 name ? "\"" : "");
		*out |= bit;
	}
	return 0;
}

/* allowedAccess must be among the handled rights: the kernel refuses a
 * rule that allows what the ruleset does not restrict. */
static int check_subset(struct spec_walk *w, const char *path, enum scute_landlock_kind kind,
			uint64_t allowed, uint64_t handled, const char *handled_field)
{
	char names[256];

	if (!(allowed & ~handled))
		return 0;
	scute_landlock_names(kind, allowed & ~handled, names, sizeof(names));
	return walk_fail(w, path, "allowedAccess: %s not in ruleset.%s", names, handled_field);
}

/* What every rule starts with: its path in messages (in `path`), and its
 * allowedAccess, which must lie within what the ruleset handles. */
static int parse_rule_access(struct spec_walk *w, json_t *item, const char *list, size_t i,
			     enum scute_landlock_kind kind, uint64_t handled,
			     const char *handled_field, char path[static 96], uint64_t *allowed)
{
	snprintf(path, 96, "process.landlock.rules.%s[%zu]", list, i);
	if (parse_rights(w, item, path, "allowedAccess", kind, allowed) < 0)
		return -1;
	return check_subset(w, path, kind, *allowed, handled, handled_field);
}

static int parse_path_rules(struct spec_walk *w, json_t *rules, struct scute_landlock *ll)
{
	json_t *arr, *item;
	char path[96];
	size_t i;

	if (walk_object_array(w, rules, "process.landlock.rules", "pathBeneath",
			      sizeof(*ll->path_rules), &arr, (void **)&ll->path_rules) < 0)
		return -1;
	json_array_foreach(arr, i, item)
	{
		struct scute_landlock_path_rule *r = &ll->path_rules[i];
		ll->n_path_rules = i + 1;
		if (parse_rule_access(w, item, "pathBeneath", i, SCUTE_LANDLOCK_FS, ll->handled_fs,
				      "handledAccessFS", path, &r->allowed) < 0 ||
		    walk_string_array(w, item, path, "paths", &r->paths, &r->n_paths) < 0)
			return -1;
		for (size_t j = 0; j < r->n_paths; j++)
			if (r->paths[j][0] != '/')
				return walk_fail(w, path,
						 "paths[%zu]: \"%s\" is not an absolute path", j,
						 r->paths[j]);
	}
	return 0;
}

static int parse_port_rules(struct spec_walk *w, json_t *rules, struct scute_landlock *ll)
{
	json_t *arr, *item, *ports, *port;
	char path[96];
	size_t i, j;

	if (walk_object_array(w, rules, "process.landlock.rules", "netPort",
			      sizeof(*ll->port_rules), &arr, (void **)&ll->port_rules) < 0)
		return -1;
	json_array_foreach(arr, i, item)
	{
		struct scute_landlock_port_rule *r = &ll->port_rules[i];
		ll->n_port_rules = i + 1;
		if (parse_rule_access(w, item, "netPort", i, SCUTE_LANDLOCK_NET, ll->handled_net,
				      "handledAccessNet", path, &r->allowed) < 0 ||
		    walk_array(w, item, path, "ports", true, &ports) < 0)
			return -1;
		r->ports = calloc(json_array_size(ports) + 1, sizeof(*r->ports));
		if (!r->ports)
			return scute_err_set(w->err, ENOMEM, "out of memory");
		json_array_foreach(ports, j, port)
		{
			if (!json_is_integer(port) || json_integer_value(port) < 0 ||
			    json_integer_value(port) > 65535)
				return walk_fail(w, path, "ports[%zu]: expected a port, 0 to 65535",
						 j);
			r->ports[j] = (uint64_t)json_integer_value(port);
			r->n_ports = j + 1;
		}
	}
	return 0;
}

static int parse_landlock(struct spec_walk *w, json_t *process, struct scute_process *p)
{
	static const char *const known[] = { "ruleset", "rules", "disableBestEffort", NULL };
	const char *path = "process.landlock";
	json_t *obj, *ruleset, *rules;
	struct scute_landlock *ll;

	if (walk_object(w, process, "process", "landlock", false, &obj) < 0)
		return -1;
	if (!obj)
		return 0;
	ll = p->landlock = calloc(1, sizeof(*ll));
	if (!ll)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	if (walk_refuse_unknown(w, obj, path, known) < 0 ||
	    walk_object(w, obj, path, "ruleset", false, &ruleset) < 0 ||
	    walk_object(w, obj, path, "rules", false, &rules) < 0 ||
	    walk_bool(w, obj, path, "disableBestEffort", &ll->disable_best_effort) < 0 ||
	    parse_rights(w, ruleset, "process.landlock.ruleset", "handledAccessFS",
			 SCUTE_LANDLOCK_FS, &ll->handled_fs) < 0 ||
	    parse_rights(w, ruleset, "process.landlock.ruleset", "handledAccessNet",
			 SCUTE_LANDLOCK_NET, &ll->handled_net) < 0 ||
	    parse_rights(w, ruleset, "process.landlock.ruleset", "scoped", SCUTE_LANDLOCK_SCOPE,
			 &ll->scoped) < 0 ||
	    parse_path_rules(w, rules, ll) < 0 || parse_port_rules(w, rules, ll) < 0)
		return -1;
	/* As the kernel asks of a process that restricts itself: it cannot
	 * then gain privileges a confused setuid program could misuse. */
	if (!p->no_new_privileges)
		return walk_fail(w, path, "needs process.noNewPrivileges to be true");
	return 0;
}

int spec_parse_lsm(struct spec_walk *w, json_t *process, struct scute_process *p)
{
	if (walk_string(w, process, "process", "apparmorProfile", false, &p->apparmor_profile) <
		    0 ||
	    walk_string(w, process, "process", "selinuxLabel", false, &p->selinux_label) < 0)
		return -1;
	if (p->apparmor_profile && !*p->apparmor_profile) {
		free(p->apparmor_profile);
		p->apparmor_profile = NULL;
	}
	if (p->apparmor_profile && !scute_apparmor_name_valid(p->apparmor_profile))
		return walk_fail(w, "process.apparmorProfile", "\"%s\" is not a profile name",
				 p->apparmor_profile);
	if (p->selinux_label && *p->selinux_label && !scute_selinux_label_valid(p->selinux_label))
		return walk_fail(w, "process.selinuxLabel",
				 "\"%s\" is not a user:role:type[:level] "
				 "label",
				 p->selinux_label);
	return parse_landlock(w, process, p);
}

int spec_parse_mount_label(struct spec_walk *w, json_t *lx, struct scute_spec *spec)
{
	if (walk_string(w, lx, "linux", "mountLabel", false, &spec->mount_label) < 0)
		return -1;
	if (spec->mount_label && *spec->mount_label &&
	    !scute_selinux_label_valid(spec->mount_label))
		return walk_fail(w, "linux.mountLabel",
				 "\"%s\" is not a user:role:type[:level] "
				 "label",
				 spec->mount_label);
	return 0;
}

/* linux.mountLabel labels every new filesystem the config mounts, except
 * those whose files the kernel labels itself (proc, sysfs, cgroup): the
 * label becomes one more filesystem option, "context=LABEL". */
int spec_label_mounts(struct spec_walk *w, struct scute_spec *spec)
{
	static const char *const self_labelled[] = { "proc", "sysfs", "cgroup", "cgroup2" };
	char option[4200];

	if (!spec->mount_label || !*spec->mount_label)
		return 0;
	if (scute_selinux_context_option(spec->mount_label, option, sizeof(option)) < 0)
		return walk_fail(w, "linux.mountLabel", "too long");
	for (size_t i = 0; i < spec->n_mounts; i++) {
		struct scute_mount *m = &spec->mounts[i];
		bool skip = m->bind;
		for (size_t k = 0; k < 4 && !skip; k++)
			skip = m->type && strcmp(m->type, self_labelled[k]) == 0;
		if (skip)
			continue;
		if (spec_mount_add_option(w, m, option) < 0)
			return -1;
	}
	return 0;
}
