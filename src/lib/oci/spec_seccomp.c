/* linux.seccomp of config.json: names resolved to libseccomp's values here,
 * so a bad action, operator, architecture or flag fails create before
 * anything exists. Syscall names are kept as text: unknown ones are skipped
 * when the filter is compiled (profiles name other kernels' syscalls). */
#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "spec_walk.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static const struct {
	const char *name;
	uint32_t action;
} actions[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0) },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0) },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG },
	{ "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY },
};

static const struct {
	const char *name;
	int op;
} operators[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static const struct {
	const char *name;
	unsigned int flag;
} filter_flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An action with its errno (ERRNO, default EPERM) or trace value (TRACE). */
static int parse_action(struct spec_walk *w, json_t *obj, const char *path, const char *akey,
			const char *ekey, uint32_t *out)
{
	char full[256];
	auto_free char *name = NULL;
	bool has_ret;
	int64_t ret = 0;
	size_t i;

	if (walk_string(w, obj, path, akey, true, &name) < 0 ||
	    walk_int(w, obj, path, ekey, 0, 65535, &has_ret, &ret) < 0)
		return -1;
	for (i = 0; i < COUNT(actions); i++)
		if (strcmp(name, actions[i].name) == 0)
			break;
	snprintf(full, sizeof(full), "%s.%s", path, akey);
	if (i == COUNT(actions))
		return walk_fail(w, full, "unknown action \"%s\"", name);
	*out = actions[i].action;
	if (*out == SCMP_ACT_ERRNO(0))
		*out = SCMP_ACT_ERRNO(has_ret ? (uint16_t)ret : EPERM);
	else if (*out == SCMP_ACT_TRACE(0))
		*out = SCMP_ACT_TRACE((uint16_t)ret);
	return 0;
}

static int parse_arches(struct spec_walk *w, json_t *obj, struct scute_seccomp *sc)
{
	char **names, lower[64], path[64];
	size_t n;

	if (walk_string_array(w, obj, "linux.seccomp", "architectures", &names, &n) < 0)
		return -1;
	sc->arches = calloc(n + 1, sizeof(uint32_t));
	for (size_t i = 0; sc->arches && i < n; i++) {
		const char *suffix = strncmp(names[i], "SCMP_ARCH_", 10) == 0 ? names[i] + 10 : "";
		size_t k;
		for (k = 0; k < sizeof(lower) - 1 && suffix[k]; k++)
			lower[k] = (char)tolower((unsigned char)suffix[k]);
		lower[k] = '\0';
		sc->arches[i] = *suffix ? seccomp_arch_resolve_name(lower) : 0;
		if (!sc->arches[i]) {
			snprintf(path, sizeof(path), "linux.seccomp.architectures[%zu]", i);
			walk_fail(w, path, "unknown architecture \"%s\"", names[i]);
			free_string_array(names, n);
			return -1;
		}
		sc->n_arches = i + 1;
	}
	free_string_array(names, n);
	return sc->arches ? 0 : scute_err_set(w->err, ENOMEM, "out of memory");
}

static int parse_flags(struct spec_walk *w, json_t *obj, struct scute_seccomp *sc)
{
	char **names, path[64];
	size_t n, k;

	if (walk_string_array(w, obj, "linux.seccomp", "flags", &names, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		for (k = 0; k < COUNT(filter_flags); k++)
			if (strcmp(names[i], filter_flags[k].name) == 0)
				break;
		if (k == COUNT(filter_flags)) {
			snprintf(path, sizeof(path), "linux.seccomp.flags[%zu]", i);
			walk_fail(w, path, "unknown flag \"%s\"", names[i]);
			free_string_array(names, n);
			return -1;
		}
		sc->flags |= filter_flags[k].flag;
	}
	free_string_array(names, n);
	return 0;
}

static int parse_arg(struct spec_walk *w, json_t *item, const char *path,
		     struct scute_seccomp_arg *arg)
{
	int64_t index;
	auto_free char *op = NULL;
	size_t k;

	if (!json_is_object(item))
		return walk_fail(w, path, "expected an object");
	if (walk_int(w, item, path, "index", 0, 5, NULL, &index) < 0 ||
	    walk_uint64(w, item, path, "value", NULL, &arg->value) < 0)
		return -1;
	bool has_two;
	if (walk_uint64(w, item, path, "valueTwo", &has_two, &arg->value_two) < 0)
		return -1;
	if (!has_two)
		arg->value_two = 0;
	arg->index = (unsigned int)index;
	if (walk_string(w, item, path, "op", true, &op) < 0)
		return -1;
	for (k = 0; k < COUNT(operators); k++)
		if (strcmp(op, operators[k].name) == 0)
			break;
	if (k == COUNT(operators)) {
		char full[160];
		snprintf(full, sizeof(full), "%s.op", path);
		return walk_fail(w, full, "unknown operator \"%s\"", op);
	}
	arg->op = operators[k].op;
	return 0;
}

static int parse_rule(struct spec_walk *w, json_t *item, const char *path,
		      struct scute_seccomp_rule *r)
{
	json_t *args, *a;
	char apath[160];
	size_t i;

	if (!json_is_object(item))
		return walk_fail(w, path, "expected an object");
	if (walk_string_array(w, item, path, "names", &r->names, &r->n_names) < 0 ||
	    parse_action(w, item, path, "action", "errnoRet", &r->action) < 0 ||
	    walk_array(w, item, path, "args", false, &args) < 0)
		return -1;
	if (r->n_names == 0)
		return walk_fail(w, path, "names: at least one syscall is required");
	if (json_array_size(args) > 6)
		return walk_fail(w, path, "args: at most 6 conditions");
	json_array_foreach(args, i, a)
	{
		snprintf(apath, sizeof(apath), "%s.args[%zu]", path, i);
		if (parse_arg(w, a, apath, &r->args[i]) < 0)
			return -1;
		r->n_args = i + 1;
	}
	return 0;
}

/* Between installing the filter and handing its listener over, the init
 * still sends: the listener itself (sendmsg), or the reason its exec
 * failed (sendto). Notified, either would wait for an agent that cannot
 * have the listener yet. */
static const char *const init_calls_after_filter[] = { "sendmsg", "sendto", NULL };

static int check_notify_rule(struct spec_walk *w, const char *path,
			     const struct scute_seccomp_rule *r)
{
	if (r->action != SCMP_ACT_NOTIFY)
		return 0;
	for (size_t i = 0; i < r->n_names; i++)
		for (size_t j = 0; init_calls_after_filter[j]; j++)
			if (strcmp(r->names[i], init_calls_after_filter[j]) == 0)
				return walk_fail(w, path,
						 "SCMP_ACT_NOTIFY cannot be used for %s: the "
						 "init makes that call before the agent can "
						 "have the listener",
						 r->names[i]);
	return 0;
}

static int parse_rules(struct spec_walk *w, json_t *obj, struct scute_seccomp *sc)
{
	json_t *arr, *item;
	char path[64];
	size_t i;

	if (walk_array(w, obj, "linux.seccomp", "syscalls", false, &arr) < 0)
		return -1;
	sc->rules = calloc(json_array_size(arr) + 1, sizeof(*sc->rules));
	if (!sc->rules)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(path, sizeof(path), "linux.seccomp.syscalls[%zu]", i);
		sc->n_rules = i + 1;
		if (parse_rule(w, item, path, &sc->rules[i]) < 0 ||
		    check_notify_rule(w, path, &sc->rules[i]) < 0)
			return -1;
		if (sc->rules[i].action == SCMP_ACT_NOTIFY)
			sc->uses_notify = true;
	}
	return 0;
}

static int parse_listener(struct spec_walk *w, json_t *obj, struct scute_seccomp *sc)
{
	if (walk_string(w, obj, "linux.seccomp", "listenerPath", false, &sc->listener_path) < 0 ||
	    walk_string(w, obj, "linux.seccomp", "listenerMetadata", false,
			&sc->listener_metadata) < 0)
		return -1;
	if (sc->uses_notify && !sc->listener_path)
		return walk_fail(w, "linux.seccomp.listenerPath",
				 "SCMP_ACT_NOTIFY needs a listenerPath");
	if (sc->listener_path && sc->listener_path[0] != '/')
		return walk_fail(w, "linux.seccomp.listenerPath", "\"%s\" is not an absolute path",
				 sc->listener_path);
	return 0;
}

int scute_seccomp_parse(json_t *obj, const char *origin, struct scute_seccomp **out,
			struct scute_err *err)
{
	struct spec_walk w = { .origin = origin, .err = err };
	struct scute_seccomp *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return scute_err_set(err, ENOMEM, "out of memory");
	*out = sc;
	if (parse_action(&w, obj, "linux.seccomp", "defaultAction", "defaultErrnoRet",
			 &sc->default_action) < 0)
		return -1;
	/* Every call would wait for the agent, the init's own before it can
	 * hand the listener over among them (runc refuses it too). */
	if (sc->default_action == SCMP_ACT_NOTIFY)
		return walk_fail(&w, "linux.seccomp.defaultAction",
				 "SCMP_ACT_NOTIFY cannot be the default action: the init's own "
				 "calls would wait for an agent that has no listener yet");
	if (parse_arches(&w, obj, sc) < 0 || parse_flags(&w, obj, sc) < 0 ||
	    parse_rules(&w, obj, sc) < 0 || parse_listener(&w, obj, sc) < 0)
		return -1;
	sc->canonical = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	return sc->canonical ? 0 : scute_err_set(err, ENOMEM, "out of memory");
}

void scute_seccomp_free(struct scute_seccomp *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->n_rules; i++)
		free_string_array(sc->rules[i].names, sc->rules[i].n_names);
	free(sc->rules);
	free(sc->arches);
	free(sc->listener_path);
	free(sc->listener_metadata);
	free(sc->canonical);
	free(sc);
}
