/* scute pull and scute push (pull.h). On a terminal they draw docker's
 * layer lines on stderr and end with docker's summary; otherwise, and
 * with -q, they print nothing but the digest. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_progress.h"
#include "pull.h"
#include "store.h"

void cli_registry_opts(const struct cli *c, struct scute_registry_opts *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->insecure = (const char *const *)c->cfg.insecure_registries;
	ro->n_insecure = c->cfg.n_insecure_registries;
	ro->certs_dir = c->cfg.certs_dir;
}

/* pull's and push's options: -q, and --platform where PLATFORM is not
 * NULL. Returns -1 to go on, else the exit status. */
static int parse_xfer(const struct cli_verb *v, int argc, char **argv, const char **platform,
		      bool *quiet)
{
	static const struct option opts[] = {
		{ "platform", required_argument, 0, 'p' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "qh", platform ? opts : opts + 1, NULL)) != -1) {
		if (o == 'p' && platform)
			*platform = optarg;
		else if (o == 'q')
			*quiet = true;
		else
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind + 1 != argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	return -1;
}

/* The layer lines, on a terminal unless -q. */
static void *progress_for(bool quiet, struct cli_progress *shown, scute_xfer_progress *cb)
{
	*cb = !quiet && isatty(STDERR_FILENO) ? cli_progress_event : NULL;
	return *cb ? shown : NULL;
}

int cmd_pull(struct cli *c, int argc, char **argv)
{
	struct cli_progress shown = { .push = false };
	struct scute_pull_opts po = { .max_layer_size = c->cfg.max_layer_size };
	struct scute_pull_result res;
	struct scute_store s;
	struct scute_err err = { 0 };
	bool quiet = false;
	int rc = parse_xfer(cli_find_verb("pull"), argc, argv, &po.platform, &quiet);

	if (rc >= 0)
		return rc;
	cli_registry_opts(c, &po.registry);
	po.progress_arg = progress_for(quiet, &shown, &po.progress);
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	rc = scute_image_pull(&s, argv[optind], &po, &res, &err);
	cli_progress_end(&shown);
	if (rc < 0)
		scute_store_tidy(&s);
	scute_store_close(&s);
	if (rc < 0)
		return cli_fail(&err);
	if (!po.progress) {
		printf("%s\n", res.digest.str);
		return 0;
	}
	printf("Digest: %s\nStatus: %s %s\n%s\n", res.digest.str,
	       res.fresh ? "Downloaded newer image for" : "Image is up to date for", res.name,
	       res.name);
	return 0;
}

int cmd_push(struct cli *c, int argc, char **argv)
{
	struct cli_progress shown = { .push = true };
	struct scute_push_opts po = { 0 };
	struct scute_digest digest;
	struct scute_store s;
	struct scute_err err = { 0 };
	bool quiet = false;
	int rc = parse_xfer(cli_find_verb("push"), argc, argv, NULL, &quiet);

	if (rc >= 0)
		return rc;
	cli_registry_opts(c, &po.registry);
	po.progress_arg = progress_for(quiet, &shown, &po.progress);
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	rc = scute_image_push(&s, argv[optind], &po, &digest, &err);
	cli_progress_end(&shown);
	scute_store_close(&s);
	if (rc < 0)
		return cli_fail(&err);
	printf("%s%s\n", po.progress ? "digest: " : "", digest.str);
	return 0;
}
