/* container-tool: the container lifecycle (src/engine/containers/
 * lifecycle.h) from the command line, for tests/integration/
 * container_lifecycle.bats only, until the CLI's verbs call it. The OCI
 * config is the hardened spec with the given command; the CLI's comes from
 * the record (oci_config.h).
 *
 *   container-tool ROOT EXEC_ROOT make IMAGE NAME [AUTOREMOVE] [CMD...]  prints the ID
 *   container-tool ROOT EXEC_ROOT start [-d] REF [CMD...]  exits as the container did
 *                                        (no CMD: the record's Config.Cmd)
 *   container-tool ROOT EXEC_ROOT show REF         "STATUS EXITCODE PID", reconciled
 *   container-tool ROOT EXEC_ROOT rm [-f] REF
 *
 * An error prints "[ERRNO-NAME] message" on stderr and exits 1. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "store.h"

static int fail(const struct scute_err *err)
{
	fprintf(stderr, "[%s] %s\n", strerrorname_np(err->code) ? strerrorname_np(err->code) : "?",
		err->msg);
	return 1;
}

static int make(struct scute_store *s, const struct scute_engine_paths *e, char **args, int n,
		struct scute_err *err)
{
	bool autoremove = n > 2 && !strcmp(args[2], "AUTOREMOVE");
	json_t *config = json_pack("{ss s[]}", "Image", args[0], "Cmd");
	json_t *host = json_pack("{sb}", "AutoRemove", autoremove);
	struct scute_container c;
	int rc;

	for (int i = 2 + autoremove; i < n; i++)
		json_array_append_new(json_object_get(config, "Cmd"), json_string(args[i]));
	rc = scute_container_make(s, e, args[1], args[0], config, host, &c, err);

	if (rc == 0)
		printf("%s\n", c.id);
	scute_container_clear(&c);
	json_decref(config);
	json_decref(host);
	return rc;
}

static json_t *hardened_config(char **cmd, int n, json_t *config, struct scute_err *err)
{
	json_t *spec = scute_spec_hardened(false, err);
	json_t *args = json_array();

	for (int i = 0; spec && i < n; i++)
		json_array_append_new(args, json_string(cmd[i]));
	if (n == 0)
		json_array_extend(args, json_object_get(config, "Cmd"));
	if (spec) {
		json_object_set_new(json_object_get(spec, "process"), "args", args);
		json_object_set_new(json_object_get(spec, "process"), "terminal", json_false());
		/* writable, as docker's roots are unless --read-only */
		json_object_set_new(json_object_get(spec, "root"), "readonly", json_false());
	} else {
		json_decref(args);
	}
	return spec;
}

static int start(struct scute_store *s, const struct scute_engine_paths *e, char **args, int n,
		 int *status, struct scute_err *err)
{
	bool detach = n > 0 && !strcmp(args[0], "-d");
	struct scute_container c;
	struct scute_launch l = { .e = e, .foreground = !detach, .proxy_signals = true };
	int rc;

	args += detach;
	n -= detach;
	if (scute_container_find(s->db, args[0], &c, err) < 0)
		return -1;
	rc = scute_container_prepare(s, e, &c, err);
	scute_store_close(s);
	l.id = c.id;
	l.auto_remove = json_is_true(json_object_get(c.host_config, "AutoRemove"));
	l.stdin_open = true; /* the tests feed some containers on stdin */
	if (rc == 0) {
		l.oci_config = hardened_config(args + 1, n - 1, c.config, err);
		rc = l.oci_config ? scute_container_launch(&l, status, err) : -1;
		json_decref(l.oci_config);
	}
	scute_container_clear(&c);
	return rc;
}

static int show(struct scute_store *s, const struct scute_engine_paths *e, const char *ref,
		struct scute_err *err)
{
	struct scute_container c;
	int rc;

	if (scute_container_find(s->db, ref, &c, err) < 0)
		return -1;
	rc = scute_container_reconcile(s, e, &c, err);
	if (rc == 0)
		printf("%s %d %d %s\n", scute_container_status_name(c.status), c.exit_code,
		       (int)c.pid, c.error);
	scute_container_clear(&c);
	return rc;
}

int main(int argc, char **argv)
{
	struct scute_err err = { 0 };
	struct scute_store s;
	struct scute_engine_paths e;
	int rc = -1, status = 0;
	bool opened = true;

	if (argc < 5) {
		fprintf(stderr, "usage: container-tool ROOT EXEC_ROOT make|start|show|rm ...\n");
		return 2;
	}
	if (scute_self_reexec_sealed(argv, &err) < 0)
		return fail(&err);
	e = (struct scute_engine_paths){ argv[1], argv[2] };
	if (scute_store_open(argv[1], SCUTE_STORE_WRITE, &s, &err) < 0)
		return fail(&err);
	if (!strcmp(argv[3], "make") && argc >= 6)
		rc = make(&s, &e, argv + 4, argc - 4, &err);
	else if (!strcmp(argv[3], "start")) {
		rc = start(&s, &e, argv + 4, argc - 4, &status, &err);
		opened = false;
	} else if (!strcmp(argv[3], "show"))
		rc = show(&s, &e, argv[4], &err);
	else if (!strcmp(argv[3], "rm"))
		rc = scute_container_remove(&s, &e, argv[argc - 1], !strcmp(argv[4], "-f"), &err);
	else
		scute_err_set(&err, EINVAL, "unknown verb %s", argv[3]);
	if (opened)
		scute_store_close(&s);
	return rc < 0 ? fail(&err) : status;
}
