/* pause and resume: freeze and thaw every process of a container. */
#include "runtime.h"
#include "runtime_verb.h"

static int pause_or_resume(struct global_opts *g, int argc, char **argv, bool pause)
{
	struct scute_err err = { 0 };
	const char *id = NULL;
	int rc = parse_id_only(argc, argv, pause ? "pause" : "resume", &id);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (scute_container_pause(g->root, id, pause, &err) < 0)
		return runtime_fail(&err);
	return 0;
}

int cmd_pause(struct global_opts *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, true);
}

int cmd_resume(struct global_opts *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, false);
}
