/* scute import: a root filesystem tarball as a new image (import.h). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli.h"
#include "import.h"
#include "store.h"

enum { OPT_PLATFORM = 1 };

/* The options into io, the --change values into changes (room for argc).
 * false: stop with *status (usage, --help). */
static bool parse_options(int argc, char **argv, struct scute_import_opts *io, const char **changes,
			  int *status)
{
	static const struct option opts[] = {
		{ "change", required_argument, 0, 'c' },
		{ "message", required_argument, 0, 'm' },
		{ "platform", required_argument, 0, OPT_PLATFORM },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("import");
	int o;

	io->changes = changes;
	while ((o = getopt_long(argc, argv, "c:m:h", opts, NULL)) != -1) {
		if (o == 'c') {
			changes[io->n_changes++] = optarg;
		} else if (o == 'm') {
			io->message = optarg;
		} else if (o == OPT_PLATFORM) {
			io->platform = optarg;
		} else {
			*status = cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
			return false;
		}
	}
	if (optind >= argc || argc - optind > 2) {
		*status = cli_usage(v, CLI_EXIT_FAIL);
		return false;
	}
	io->source = argv[optind];
	io->tag = optind + 1 < argc ? argv[optind + 1] : NULL;
	return true;
}

static int open_source(const char *source, int *fd)
{
	if (strcmp(source, "-") != 0) {
		*fd = open(source, O_RDONLY | O_CLOEXEC);
		if (*fd < 0)
			return cli_fail_msg("import: open %s: %s", source, strerror(errno));
	} else if (isatty(STDIN_FILENO)) {
		return cli_fail_msg("import: stdin is a terminal (give FILE or a pipe)");
	}
	return 0;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	/* each --change is one argument at least */
	auto_free const char **changes = calloc((size_t)argc + 1, sizeof(*changes));
	struct scute_import_opts io = { 0 };
	auto_fd int fd = -1;
	struct scute_store s;
	struct scute_err err = { 0 };
	struct scute_digest id;
	int rc = 0;

	if (!changes)
		return cli_fail_msg("import: out of memory");
	if (!parse_options(argc, argv, &io, changes, &rc) || (rc = open_source(io.source, &fd)))
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
		return rc;
	io.fd = fd >= 0 ? fd : STDIN_FILENO;
	io.max_layer_size = c->cfg.max_layer_size;
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	rc = scute_image_import(&s, &io, &id, &err);
	if (rc < 0)
		scute_store_tidy(&s);
	scute_store_close(&s);
	if (rc < 0)
		return cli_fail(&err);
	printf("%s\n", id.str);
	return 0;
}
