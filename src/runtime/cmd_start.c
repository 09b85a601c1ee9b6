#include "runtime.h"
#include "runtime_verb.h"

int cmd_start(struct global_opts *g, int argc, char **argv)
{
	struct scute_err err = { 0 };
	const char *id = NULL;
	int rc = parse_id_only(argc, argv, "start", &id);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (scute_container_start(g->root, id, &err) < 0)
		return runtime_fail(&err);
	return 0;
}
