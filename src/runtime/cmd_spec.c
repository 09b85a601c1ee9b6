#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

int cmd_spec(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = { { "bundle", required_argument, 0, 'b' },
					      { "rootless", no_argument, 0, 'r' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	const char *bundle = ".";
	bool rootless = false;
	char path[4096];
	int c, fd, rc;

	(void)g;
	while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
		if (c == 'b')
			bundle = optarg;
		else if (c == 'r')
			rootless = true;
		else
			return runtime_usage(runtime_find_verb("spec"), c == 'h' ? 0 : 1);
	}
	if (optind != argc)
		return runtime_fail_msg("spec: unexpected argument \"%s\"", argv[optind]);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST)
		return runtime_fail_msg("spec: %s already exists; remove it first", path);
	if (fd < 0)
		return runtime_fail_msg("spec: create %s: %s", path, strerror(errno));
	struct scute_err err = { 0 };
	json_t *doc = scute_spec_hardened(rootless, &err);
	if (!doc) {
		close(fd);
		unlink(path);
		return runtime_fail(&err);
	}
	rc = json_dumpfd(doc, fd, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc < 0 || write(fd, "\n", 1) != 1 || close(fd) < 0) {
		unlink(path);
		return runtime_fail_msg("spec: write %s: %s", path, strerror(errno));
	}
	return 0;
}
