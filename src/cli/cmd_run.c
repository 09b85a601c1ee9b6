/* scute create, run, start and restart: the verbs that make containers or
 * start them (create.h over lifecycle.h). The flags are run_flags.c's; the
 * OCI config comes from the record, never from the flags directly. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "cli.h"
#include "container_defaults.h"
#include "container_volumes.h"
#include "create.h"
#include "run_flags.h"
#include "store.h"

/* docker run's status when the container's command cannot be run: 127 not
 * found, 126 found but not executable. */
#define EXIT_NOT_FOUND 127
#define EXIT_CANNOT_EXEC 126

struct engine {
	struct scute_store s;
	bool open;
	struct scute_engine_paths e;
	struct scute_container_defaults cd;
	struct scute_oci_defaults od;
};

static void engine_close(struct engine *g)
{
	if (g->open)
		scute_store_close(&g->s);
	g->open = false;
}

static void engine_free(struct engine *g)
{
	engine_close(g);
	scute_oci_defaults_clear(&g->od);
	scute_container_defaults_free(&g->cd);
}

#define auto_engine __attribute__((cleanup(engine_free)))

static int engine_open(struct cli *c, struct engine *g, struct scute_err *err)
{
	if (scute_container_defaults_resolve(&c->cfg, c->cfg.path, &g->cd, err) < 0)
		return -1;
	if (scute_oci_defaults_from(&g->cd, &g->od, err) < 0)
		return -1;
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &g->s, err) < 0)
		return -1;
	g->open = true;
	return cli_engine_paths(c, &g->e, err);
}

static void print_warnings(json_t *warnings)
{
	size_t i;
	json_t *w;

	json_array_foreach(warnings, i, w) fprintf(stderr, "WARNING: %s\n", json_string_value(w));
}

/* How a start failed: its config (the engine's error, 125), or the launch
 * (where the command's own failure gives 126 or 127). */
enum { START_CONFIG_FAILED = -1, START_LAUNCH_FAILED = -2 };

/* The exit status of a start that failed: docker's 126 and 127 when the
 * command is the cause. */
static int start_failure(int how, const struct scute_err *err)
{
	cli_fail(err);
	if (how != START_LAUNCH_FAILED || !err->program)
		return CLI_EXIT_FAIL;
	if (err->code == ENOENT)
		return EXIT_NOT_FOUND;
	if (err->code == EACCES || err->code == ENOEXEC || err->code == EISDIR)
		return EXIT_CANNOT_EXEC;
	return CLI_EXIT_FAIL;
}

/* Start the container c (the store open in g): its config derived with
 * the root mounted, then the store closed before the launch, so no lock
 * is held while the container runs. */
static int start_one(struct engine *g, const struct scute_container *c, bool foreground,
		     int *status, struct scute_err *err)
{
	struct scute_launch l = {
		.e = &g->e,
		.id = c->id,
		.foreground = foreground,
		.proxy_signals = true,
		.auto_remove = json_is_true(json_object_get(c->host_config, "AutoRemove")),
		.stdin_open = json_is_true(json_object_get(c->config, "OpenStdin")),
	};
	int rc;

	*status = 0;
	l.oci_config = scute_container_start_config(&g->s, &g->e, &g->od, c, err);
	if (!l.oci_config)
		return START_CONFIG_FAILED;
	/* the launch closes it (after the start's record, in the foreground) */
	l.store = &g->s;
	g->open = false;
	rc = scute_container_launch(&l, status, err);
	json_decref(l.oci_config);
	return rc < 0 ? START_LAUNCH_FAILED : 0;
}

/* The flags parsed, the engine opened and the container made: 0, or the
 * exit status of the failure (printed); with --help, the usage printed
 * and r->help set. */
static int make_container(struct cli *c, int argc, char **argv, const char *verb,
			  struct cli_run_request *r, struct engine *g, struct scute_container *ct,
			  struct scute_err *err)
{
	if (cli_run_flags_parse(argc, argv, r, err) < 0) {
		fprintf(stderr, "scute: %s\nSee 'scute %s --help'.\n", err->msg, verb);
		return CLI_EXIT_FAIL;
	}
	if (r->help)
		return cli_usage(cli_find_verb(verb), 0);
	print_warnings(r->warnings);
	if (engine_open(c, g, err) < 0 ||
	    scute_container_new(&g->s, &g->e, &g->od, r->name, r->config, r->host_config, ct, err) <
		    0)
		return cli_fail(err);
	return 0;
}

int cmd_create(struct cli *c, int argc, char **argv)
{
	struct cli_run_request r = { 0 };
	auto_engine struct engine g = { 0 };
	struct scute_container ct = { 0 };
	struct scute_err err = { 0 };
	int rc = make_container(c, argc, argv, "create", &r, &g, &ct, &err);

	if (rc == 0 && !r.help) {
		printf("%s\n", ct.id);
		scute_container_clear(&ct);
	}
	cli_run_request_free(&r);
	return rc;
}

int cmd_run(struct cli *c, int argc, char **argv)
{
	struct cli_run_request r = { 0 };
	auto_engine struct engine g = { 0 };
	struct scute_container ct = { 0 };
	struct scute_err err = { 0 };
	int rc = make_container(c, argc, argv, "run", &r, &g, &ct, &err), status = 0;

	if (rc || r.help) {
		cli_run_request_free(&r);
		return rc;
	}
	rc = start_one(&g, &ct, !r.detach, &status, &err);
	if (rc < 0 && json_is_true(json_object_get(ct.host_config, "AutoRemove"))) {
		/* --rm: a container that never ran goes too */
		struct scute_err ignored;

		if (g.open || scute_store_open(c->root, SCUTE_STORE_WRITE, &g.s, &ignored) == 0) {
			g.open = true;
			scute_container_remove_volumes(&g.s, &g.e, ct.id, true, &ignored);
		}
	}
	if (rc == 0 && r.detach)
		printf("%s\n", ct.id);
	scute_container_clear(&ct);
	cli_run_request_free(&r);
	return rc < 0 ? start_failure(rc, &err) : status;
}

/* restart's stop: the container kept for the start even with --rm */
static int restart_stop(struct engine *g, const char *ref, int timeout, struct scute_err *err)
{
	struct scute_container ct;
	int rc;

	if (scute_container_find(g->s.db, ref, &ct, err) < 0)
		return -1;
	rc = scute_container_restart_mark(&g->e, ct.id, err);
	scute_container_clear(&ct);
	return rc < 0 ? -1 : scute_container_stop(&g->s, &g->e, ref, timeout, err);
}

/* start and restart of each named container; with attach (start -a, one
 * container) in the foreground, exiting as it does. */
static int start_each(struct cli *c, int n, char **refs, bool attach, bool restart, int timeout)
{
	int status = 0;

	for (int i = 0; i < n; i++) {
		auto_engine struct engine g = { 0 };
		struct scute_container ct = { 0 };
		struct scute_err err = { 0 };
		int st = 0, rc;

		if (engine_open(c, &g, &err) < 0 ||
		    (restart && restart_stop(&g, refs[i], timeout, &err) < 0) ||
		    scute_container_find(g.s.db, refs[i], &ct, &err) < 0) {
			status = cli_fail(&err);
			continue;
		}
		if (scute_container_reconcile(&g.s, &g.e, &ct, &err) == 0 &&
		    ct.status == SCUTE_CONTAINER_RUNNING) {
			if (!attach)
				printf("%s\n", refs[i]); /* docker: started already */
		} else if ((rc = start_one(&g, &ct, attach, &st, &err)) < 0) {
			status = start_failure(rc, &err);
		} else if (attach) {
			status = st;
		} else {
			printf("%s\n", refs[i]);
		}
		scute_container_clear(&ct);
	}
	return status;
}

int cmd_start(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "attach", no_argument, 0, 'a' },
		{ "interactive", no_argument, 0, 'i' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("start");
	bool attach = false;
	int o;

	while ((o = getopt_long(argc, argv, "+aih", opts, NULL)) != -1) {
		if (o == 'a')
			attach = true;
		else if (o == 'i')
			return cli_fail_msg("start: --interactive: stdin is attached by the "
					    "monitor, which is not there yet");
		else
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (attach && argc - optind > 1)
		return cli_fail_msg(
			"start: you cannot start and attach multiple containers at once");
	return start_each(c, argc - optind, argv + optind, attach, false, -1);
}

int cmd_restart(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "time", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("restart");
	struct scute_err err = { 0 };
	int64_t t = -1;
	int o;

	while ((o = getopt_long(argc, argv, "+t:h", opts, NULL)) != -1) {
		if (o == 't' && scute_parse_int(optarg, 0, 86400, &t, &err) < 0)
			return cli_fail_msg("restart: --time: %s", err.msg);
		if (o != 't')
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	return start_each(c, argc - optind, argv + optind, false, true, (int)t);
}
