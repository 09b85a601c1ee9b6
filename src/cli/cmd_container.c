/* scute rm, kill, stop, wait, rename, inspect and the container group:
 * the container verbs that need no OCI config (lifecycle.h). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "cli.h"
#include "container_json.h"
#include "container_volumes.h"
#include "db.h"
#include "image_json.h"
#include "store.h"

int cli_engine_paths(struct cli *c, struct scute_engine_paths *e, struct scute_err *err)
{
	if (!realpath(c->root, c->abs_root))
		return scute_err_sys(err, "engine root %s", c->root);
	e->root = c->abs_root;
	e->exec_root = c->cfg.exec_root ? c->cfg.exec_root : SCUTE_EXEC_ROOT_DEFAULT;
	return 0;
}

/* The store for writing and the engine's paths, or a failure printed. */
int cli_open_engine(struct cli *c, struct scute_store *s, struct scute_engine_paths *e)
{
	struct scute_err err = { 0 };

	if (scute_store_open(c->root, SCUTE_STORE_WRITE, s, &err) < 0)
		return cli_fail(&err);
	if (cli_engine_paths(c, e, &err) < 0) {
		scute_store_close(s);
		return cli_fail(&err);
	}
	return 0;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int cmd_rm(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, 0, 'f' },
		{ "volumes", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("rm");
	struct scute_store s;
	struct scute_engine_paths e;
	bool force = false, volumes = false;
	int o, status = 0;

	while ((o = getopt_long(argc, argv, "fvh", opts, NULL)) != -1) {
		if (o == 'f')
			force = true;
		else if (o == 'v')
			volumes = true;
		else
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (cli_open_engine(c, &s, &e))
		return CLI_EXIT_FAIL;
	/* docker goes on past a container it cannot remove, and fails at the end */
	for (int i = optind; i < argc; i++) {
		struct scute_err err = { 0 };

		if ((volumes ? scute_container_remove_volumes(&s, &e, argv[i], force, &err)
			     : scute_container_remove(&s, &e, argv[i], force, &err)) < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
	}
	scute_store_close(&s);
	return status;
}

int cmd_kill(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signal", required_argument, 0, 's' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("kill");
	struct scute_store s;
	struct scute_engine_paths e;
	struct scute_err err = { 0 };
	int o, sig = SIGKILL, status = 0;

	while ((o = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		if (o == 's' && scute_parse_signal(optarg, &sig, &err) < 0)
			return cli_fail_msg("kill: --signal \"%s\": %s", optarg, err.msg);
		if (o != 's')
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (cli_open_engine(c, &s, &e))
		return CLI_EXIT_FAIL;
	for (int i = optind; i < argc; i++) {
		if (scute_container_signal(&s, &e, argv[i], sig, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
	}
	scute_store_close(&s);
	return status;
}

int cmd_stop(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "time", required_argument, 0, 't' },
		{ "timeout", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("stop");
	struct scute_store s;
	struct scute_engine_paths e;
	struct scute_err err = { 0 };
	int64_t t = -1;
	int o, status = 0;

	while ((o = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		if (o == 't' && scute_parse_int(optarg, -1, 86400, &t, &err) < 0)
			return cli_fail_msg("stop: --time \"%s\": %s", optarg, err.msg);
		if (o != 't')
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (cli_open_engine(c, &s, &e))
		return CLI_EXIT_FAIL;
	for (int i = optind; i < argc; i++) {
		if (scute_container_stop(&s, &e, argv[i], (int)t, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
	}
	scute_store_close(&s);
	return status;
}

int cmd_wait(struct cli *c, int argc, char **argv)
{
	const struct cli_verb *v = cli_find_verb("wait");
	struct scute_engine_paths e;
	struct scute_err err = { 0 };
	int status = 0;

	if (wants_help(argc, argv))
		return cli_usage(v, 0);
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(v, CLI_EXIT_FAIL);
	if (cli_engine_paths(c, &e, &err) < 0)
		return cli_fail(&err);
	for (int i = 1; i < argc; i++) {
		int code;

		if (scute_container_wait(&e, argv[i], &code, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%d\n", code);
	}
	return status;
}

static int rename_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	char **names = arg;
	struct scute_container ct;
	int rc;

	if (scute_container_find(db, names[0], &ct, err) < 0)
		return -1;
	rc = scute_container_rename_tx(db, ct.id, names[1][0] == '/' ? names[1] + 1 : names[1],
				       err);
	scute_container_clear(&ct);
	return rc;
}

int cmd_rename(struct cli *c, int argc, char **argv)
{
	const struct cli_verb *v = cli_find_verb("rename");
	struct scute_store s;
	struct scute_err err = { 0 };
	int rc;

	if (wants_help(argc, argv))
		return cli_usage(v, 0);
	if (argc != 3)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	rc = scute_db_tx(s.db, rename_tx, argv + 1, &err);
	scute_store_close(&s);
	return rc < 0 ? cli_fail_msg("rename %s: %s", argv[1], err.msg) : 0;
}

/* ---- inspect ---------------------------------------------------------------- */

enum inspect_type { INSPECT_ANY, INSPECT_CONTAINER, INSPECT_IMAGE };

static json_t *inspect_container(struct scute_store *s, const struct scute_engine_paths *e,
				 const char *ref, struct scute_err *err)
{
	struct scute_container ct;
	struct scute_container_place p;
	struct scute_container_paths paths = { 0 };
	char upper[PATH_MAX + 8], work[PATH_MAX + 8];
	json_t *doc;

	if (scute_container_find(s->db, ref, &ct, err) < 0)
		return NULL;
	if (scute_container_reconcile(s, e, &ct, err) < 0 ||
	    scute_container_place(e, ct.id, &p, err) < 0) {
		scute_container_clear(&ct);
		return NULL;
	}
	snprintf(upper, sizeof(upper), "%s/upper", p.fs);
	snprintf(work, sizeof(work), "%s/work", p.fs);
	paths = (struct scute_container_paths){ NULL, upper, work, p.rootfs };
	doc = scute_container_inspect_json(&ct, &paths);
	scute_container_clear(&ct);
	if (!doc)
		scute_err_set(err, ENOMEM, "inspect %s: out of memory", ref);
	return doc;
}

/* docker's inspect: a container by that name, else an image (or only
 * the --type asked for); "no such object" when neither. */
static json_t *inspect_one(struct scute_store *s, const struct scute_engine_paths *e,
			   const char *ref, enum inspect_type t, struct scute_err *err)
{
	json_t *doc = NULL;

	if (t != INSPECT_IMAGE) {
		doc = inspect_container(s, e, ref, err);
		if (doc || t == INSPECT_CONTAINER || err->code != ENOENT)
			return doc;
	}
	doc = scute_image_inspect(s, ref, err);
	if (!doc && t == INSPECT_ANY && err->code == ENOENT)
		scute_err_set(err, ENOENT, "no such object: %s", ref);
	return doc;
}

static int run_inspect(struct cli *c, const struct cli_verb *v, enum inspect_type t, int argc,
		       char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, 0, 'f' },
		{ "type", required_argument, 0, 'T' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *out = json_array();
	const char *format = NULL;
	struct scute_store s;
	struct scute_engine_paths e;
	struct scute_err err = { 0 };
	int o, status = 0;

	while ((o = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		if (o == 'f')
			format = optarg;
		else if (o == 'T' && t == INSPECT_ANY && !strcmp(optarg, "container"))
			t = INSPECT_CONTAINER;
		else if (o == 'T' && t == INSPECT_ANY && !strcmp(optarg, "image"))
			t = INSPECT_IMAGE;
		else if (o == 'T')
			return cli_fail_msg("inspect: --type \"%s\": container or image", optarg);
		else
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (cli_check_template(format, &err) < 0)
		return cli_fail(&err);
	if (cli_open_engine(c, &s, &e))
		return CLI_EXIT_FAIL;
	for (int i = optind; i < argc; i++) {
		json_t *doc = inspect_one(&s, &e, argv[i], t, &err);

		if (!doc)
			status = cli_fail(&err);
		else
			json_array_append_new(out, doc);
	}
	scute_store_close(&s);
	if (cli_print_inspect(out, format, &err) < 0)
		status = cli_fail(&err);
	return status;
}

int cmd_inspect(struct cli *c, int argc, char **argv)
{
	return run_inspect(c, cli_find_verb("inspect"), INSPECT_ANY, argc, argv);
}

static int cmd_container_inspect(struct cli *c, int argc, char **argv);

static const struct cli_verb container_verbs[] = {
	{ "create", "[OPTIONS] IMAGE [COMMAND] [ARG...] (as scute create)", "Create a container",
	  cmd_create },
	{ "inspect", "[-f|--format TEMPLATE] CONTAINER...", "Show containers in docker's JSON",
	  cmd_container_inspect },
	{ "kill", "[-s|--signal SIGNAL] CONTAINER...", "Signal running containers", cmd_kill },
	{ "list", "[options] (as scute ps)", "List containers", cmd_ps },
	{ "ls", "[options] (as scute ps)", "List containers", cmd_ps },
	{ "pause", "CONTAINER...", "Freeze every process of running containers", cmd_pause },
	{ "prune", "[-f|--force] [--filter FILTER]...", "Remove every stopped container",
	  cmd_container_prune },
	{ "rename", "CONTAINER NEW_NAME", "Rename a container", cmd_rename },
	{ "restart", "[-t|--time SECONDS] CONTAINER...", "Restart containers", cmd_restart },
	{ "rm", "[-f|--force] [-v|--volumes] CONTAINER...", "Remove containers", cmd_rm },
	{ "run", "[OPTIONS] IMAGE [COMMAND] [ARG...] (as scute run)",
	  "Create and start a container", cmd_run },
	{ "start", "[-a|--attach] CONTAINER...", "Start containers", cmd_start },
	{ "stop", "[-t|--time SECONDS] CONTAINER...", "Stop running containers", cmd_stop },
	{ "unpause", "CONTAINER...", "Thaw paused containers", cmd_unpause },
	{ "update", "[options] CONTAINER... (as scute update)",
	  "Change the resource limits and restart policy of containers", cmd_update },
	{ "wait", "CONTAINER...", "Wait for containers to stop, print their exit codes", cmd_wait },
};

static int cmd_container_inspect(struct cli *c, int argc, char **argv)
{
	return run_inspect(c, &container_verbs[0], INSPECT_CONTAINER, argc, argv);
}

int cmd_container(struct cli *c, int argc, char **argv)
{
	return cli_run_group(c, "container", container_verbs,
			     sizeof(container_verbs) / sizeof(container_verbs[0]), argc, argv);
}
