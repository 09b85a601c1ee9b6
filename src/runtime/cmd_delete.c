#include <errno.h>
#include <getopt.h>

#include "runtime.h"

int cmd_delete(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, 0, 'f' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	struct scute_err err = { 0 };
	bool force = false;
	int c;

	while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
		if (c == 'f')
			force = true;
		else
			return runtime_usage(runtime_find_verb("delete"), c == 'h' ? 0 : 1);
	}
	if (optind != argc - 1)
		return runtime_fail_msg("delete: exactly one container id is required");
	if (scute_container_delete(g->root, argv[optind], force, &err) < 0) {
		/* runc: deleting a missing container with --force succeeds. */
		if (force && err.code == ENOENT)
			return 0;
		runtime_fail(&err);
		/* A state that cannot be read is dropped with --force, so the
		 * id is usable again (what it recorded cannot be cleaned). */
		if (force && scute_container_forget(g->root, argv[optind], &err) == 0)
			return 0;
		return 1;
	}
	return 0;
}
