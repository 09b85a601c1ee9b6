/* scute volume create, ls, inspect, rm and prune: named volumes
 * (volume_store.h), printed as docker's CLI prints them. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_units.h"
#include "format.h"
#include "store.h"
#include "volume_store.h"

static int cmd_volume_create(struct cli *c, int argc, char **argv);
static int cmd_volume_inspect(struct cli *c, int argc, char **argv);
static int cmd_volume_ls(struct cli *c, int argc, char **argv);
static int cmd_volume_prune(struct cli *c, int argc, char **argv);
static int cmd_volume_rm(struct cli *c, int argc, char **argv);

static const struct cli_verb volume_verbs[] = {
	{ "create", "[--label KEY=VALUE]... [-d|--driver local] [-o|--opt KEY=VALUE]... [NAME]",
	  "Create a volume", cmd_volume_create },
	{ "inspect", "[-f|--format TEMPLATE] VOLUME...", "Show volumes in docker's JSON",
	  cmd_volume_inspect },
	{ "list", "[options] (as volume ls)", "List volumes", cmd_volume_ls },
	{ "ls", "[-q] [-f|--filter KEY=VALUE]... [--format table|json|TEMPLATE]", "List volumes",
	  cmd_volume_ls },
	{ "prune", "[-f|--force]", "Remove every volume no container uses", cmd_volume_prune },
	{ "remove", "[-f|--force] VOLUME... (as volume rm)", "Remove volumes", cmd_volume_rm },
	{ "rm", "[-f|--force] VOLUME...", "Remove volumes", cmd_volume_rm },
};
enum { V_CREATE, V_INSPECT, V_LIST, V_LS, V_PRUNE, V_REMOVE, V_RM };

/* A sub-verb's usage, named as it is typed ("volume ls"). */
static int usage(int i, int status)
{
	char name[32];
	struct cli_verb v = volume_verbs[i];

	snprintf(name, sizeof(name), "volume %s", v.name);
	v.name = name;
	return cli_usage(&v, status);
}

int cmd_volume(struct cli *c, int argc, char **argv)
{
	return cli_run_group(c, "volume", volume_verbs,
			     sizeof(volume_verbs) / sizeof(volume_verbs[0]), argc, argv);
}

/* ---- create ----------------------------------------------------------------- */

/* KEY=VALUE (or KEY alone, an empty value, for a label) into OBJ. */
static int add_pair(json_t *obj, const char *flag, const char *arg, bool need_value)
{
	const char *eq = strchr(arg, '=');
	auto_free char *key = strndup(arg, eq ? (size_t)(eq - arg) : strlen(arg));

	if (!key)
		return cli_fail_msg("volume create: out of memory");
	if (!key[0] || (need_value && !eq))
		return cli_fail_msg("volume create: %s \"%s\": not KEY=VALUE", flag, arg);
	if (json_object_set_new(obj, key, json_string(eq ? eq + 1 : "")) < 0)
		return cli_fail_msg("volume create: %s \"%s\": not UTF-8", flag, arg);
	return 0;
}

enum { OPT_LABEL = 1, OPT_NAME, OPT_FORMAT };

static int cmd_volume_create(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "label", required_argument, 0, OPT_LABEL },
		{ "driver", required_argument, 0, 'd' },
		{ "opt", required_argument, 0, 'o' },
		{ "name", required_argument, 0, OPT_NAME },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *labels = json_object();
	auto_json json_t *options = json_object();
	auto_json json_t *doc = NULL;
	const char *driver = NULL, *name = NULL;
	struct scute_store s;
	struct scute_err err = { 0 };
	int o;

	if (!labels || !options)
		return cli_fail_msg("volume create: out of memory");
	while ((o = getopt_long(argc, argv, "d:o:h", opts, NULL)) != -1) {
		if ((o == OPT_LABEL && add_pair(labels, "--label", optarg, false)) ||
		    (o == 'o' && add_pair(options, "--opt", optarg, true)))
			return CLI_EXIT_FAIL;
		if (o == 'd')
			driver = optarg;
		else if (o == OPT_NAME)
			name = optarg;
		else if (o != OPT_LABEL && o != 'o')
			return usage(V_CREATE, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (argc - optind > 1)
		return usage(V_CREATE, CLI_EXIT_FAIL);
	if (optind < argc && name && strcmp(name, argv[optind]) != 0)
		return cli_fail_msg(
			"volume create: --name \"%s\" and NAME \"%s\": give one of them", name,
			argv[optind]);
	if (optind < argc)
		name = argv[optind];
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	doc = scute_volume_create(&s, name, driver, labels, options, &err);
	scute_store_close(&s);
	if (!doc)
		return cli_fail_msg("volume create: %s", err.msg);
	printf("%s\n", json_string_value(json_object_get(doc, "Name")));
	return 0;
}

/* ---- inspect ------------------------------------------------------------------ */

static int cmd_volume_inspect(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *out = json_array();
	const char *format = NULL;
	struct scute_store s;
	struct scute_err err = { 0 };
	int o, status = 0;

	while ((o = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		if (o == 'f')
			format = optarg;
		else
			return usage(V_INSPECT, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return usage(V_INSPECT, CLI_EXIT_FAIL);
	if (cli_check_template(format, &err) < 0)
		return cli_fail(&err);
	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, &err) < 0)
		return cli_fail(&err);
	/* docker prints the ones it found, then fails for the others */
	for (int i = optind; i < argc; i++) {
		json_t *doc = scute_volume_inspect(&s, argv[i], &err);

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

/* ---- ls --------------------------------------------------------------------- */

static const struct scute_format_header volume_headers[] = {
	{ "Name", "VOLUME NAME" },
	{ "Driver", "DRIVER" },
	{ "Scope", "SCOPE" },
	{ "Mountpoint", "MOUNTPOINT" },
	{ "Labels", "LABELS" },
	{ "Links", "LINKS" },
	{ "Size", "SIZE" },
	{ "Group", "GROUP" },
	{ "Availability", "AVAILABILITY" },
	{ "Status", "STATUS" },
	{ NULL, NULL },
};

#define VOLUME_TABLE "table {{.Driver}}\t{{.Name}}"

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* docker's Labels column: KEY=VALUE joined by commas (in key order). */
static char *labels_text(json_t *labels)
{
	size_t n = json_object_size(labels), i = 0;
	auto_free const char **keys = calloc(n ? n : 1, sizeof(*keys));
	char *out = NULL;
	size_t len = 0;
	const char *k;
	json_t *v;
	FILE *f;

	if (!keys)
		return NULL;
	json_object_foreach(labels, k, v) keys[i++] = k;
	qsort(keys, n, sizeof(*keys), key_cmp);
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s=%s", i ? "," : "", keys[i],
			json_string_value(json_object_get(labels, keys[i])));
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* A volume's row as docker's volume context shows it: every field a
 * string; what dockerd works out only for `system df` is N/A. */
static json_t *volume_row(json_t *v)
{
	auto_free char *labels = labels_text(json_object_get(v, "Labels"));

	if (!labels)
		return NULL;
	return json_pack(
		"{ss ss ss ss ss ss ss ss ss ss}", "Availability", "N/A", "Driver",
		json_string_value(json_object_get(v, "Driver")), "Group", "N/A", "Labels", labels,
		"Links", "N/A", "Mountpoint", json_string_value(json_object_get(v, "Mountpoint")),
		"Name", json_string_value(json_object_get(v, "Name")), "Scope",
		json_string_value(json_object_get(v, "Scope")), "Size", "N/A", "Status", "N/A");
}

/* docker's CLI orders volumes by name, runs of digits by their value
 * ("v2" before "v10"). */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			size_t za = strspn(a, "0"), zb = strspn(b, "0");
			size_t na = strspn(a + za, "0123456789"), nb = strspn(b + zb, "0123456789");
			int d;

			if (na != nb)
				return na < nb ? -1 : 1;
			d = strncmp(a + za, b + zb, na);
			if (d)
				return d;
			a += za + na;
			b += zb + nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int by_name(const void *x, const void *y)
{
	json_t *const *a = x, *const *b = y;

	return natural_cmp(json_string_value(json_object_get(*a, "Name")),
			   json_string_value(json_object_get(*b, "Name")));
}

/* The list's documents in docker's order, into a new array of borrowed
 * pointers (freed by the caller). */
static json_t **sorted_docs(json_t *list)
{
	size_t n = json_array_size(list);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) an array of pointers */
	json_t **v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(list, i);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) an array of pointers */
	qsort(v, n, sizeof(*v), by_name);
	return v;
}

static int print_list(json_t *list, bool quiet, const char *format, struct scute_err *err)
{
	struct scute_format_defaults d = { VOLUME_TABLE, volume_headers, true };
	struct scute_format *f = NULL;
	auto_free json_t **docs = sorted_docs(list);
	int rc = 0;

	if (!docs)
		return scute_err_set(err, ENOMEM, "volume ls: out of memory");
	if (!quiet && !(f = scute_format_parse(format, &d, err)))
		return -1;
	for (size_t i = 0; i < json_array_size(list) && rc == 0; i++) {
		auto_json json_t *row = NULL;

		if (quiet) {
			printf("%s\n", json_string_value(json_object_get(docs[i], "Name")));
			continue;
		}
		row = volume_row(docs[i]);
		rc = row ? scute_format_row(f, row, err)
			 : scute_err_set(err, ENOMEM, "volume ls: out of memory");
	}
	if (f && rc == 0)
		rc = scute_format_flush(f, stdout, err);
	scute_format_free(f);
	return rc;
}

static int cmd_volume_ls(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },
		{ "filter", required_argument, 0, 'f' },
		{ "format", required_argument, 0, OPT_FORMAT },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *filters = json_object();
	auto_json json_t *list = NULL;
	const char *format = NULL;
	struct scute_store s;
	struct scute_err err = { 0 };
	bool quiet = false;
	int o;

	if (!filters)
		return cli_fail_msg("volume ls: out of memory");
	while ((o = getopt_long(argc, argv, "qf:h", opts, NULL)) != -1) {
		if (o == 'q')
			quiet = true;
		else if (o == OPT_FORMAT)
			format = optarg;
		else if (o == 'f' && scute_volumes_filter_add(filters, optarg, &err) < 0)
			return cli_fail_msg("volume ls: --filter: %s", err.msg);
		else if (o != 'f')
			return usage(V_LS, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind < argc)
		return usage(V_LS, CLI_EXIT_FAIL);
	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, &err) < 0)
		return cli_fail(&err);
	list = scute_volumes_list(&s, filters, &err);
	scute_store_close(&s);
	if (!list || print_list(list, quiet, format, &err) < 0)
		return cli_fail(&err);
	return 0;
}

/* ---- rm and prune ----------------------------------------------------------- */

static int cmd_volume_rm(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct scute_store s;
	struct scute_err err = { 0 };
	bool force = false;
	int o, status = 0;

	while ((o = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (o == 'f')
			force = true;
		else
			return usage(V_RM, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return usage(V_RM, CLI_EXIT_FAIL);
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	/* docker goes on past a volume it cannot remove, and fails at the end */
	for (int i = optind; i < argc; i++) {
		if (scute_volume_remove(&s, argv[i], force, &err) < 0)
			status = cli_fail_msg("volume rm %s: %s", argv[i], err.msg);
		else
			printf("%s\n", argv[i]);
	}
	scute_store_close(&s);
	return status;
}

/* docker asks on a terminal unless -f; scute refuses without one, so that
 * a script never removes volumes by an unanswered question. 1: go on. */
static int confirm(void)
{
	char answer[16];

	if (!isatty(STDIN_FILENO))
		return -1;
	fprintf(stderr, "WARNING! This will remove all local volumes not used by at least one "
			"container.\nAre you sure you want to continue? [y/N] ");
	return fgets(answer, sizeof(answer), stdin) && (answer[0] == 'y' || answer[0] == 'Y');
}

static void print_pruned(json_t *names, uint64_t reclaimed)
{
	char size[32];
	size_t i;
	json_t *n;

	if (json_array_size(names)) {
		printf("Deleted Volumes:\n");
		json_array_foreach(names, i, n) printf("%s\n", json_string_value(n));
		printf("\n");
	}
	cli_human_size((double)reclaimed, 4, size, sizeof(size));
	printf("Total reclaimed space: %s\n", size);
}

static int cmd_volume_prune(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *names = NULL;
	struct scute_store s;
	struct scute_err err = { 0 };
	uint64_t reclaimed = 0;
	bool force = false;
	int o, ok;

	while ((o = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (o == 'f')
			force = true;
		else
			return usage(V_PRUNE, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind < argc)
		return usage(V_PRUNE, CLI_EXIT_FAIL);
	ok = force ? 1 : confirm();
	if (ok < 0)
		return cli_fail_msg("volume prune: stdin is not a terminal to confirm on; "
				    "-f|--force removes unused volumes without asking");
	if (!ok)
		return 0;
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	/* leftovers of a crash first: they are unused volumes' files too */
	if (scute_volumes_sweep(&s, &err) == 0)
		names = scute_volumes_prune(&s, &reclaimed, &err);
	scute_store_close(&s);
	if (!names)
		return cli_fail_msg("volume prune: %s", err.msg);
	print_pruned(names, reclaimed);
	return 0;
}
