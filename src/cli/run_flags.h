/* scute run / scute create: docker's flags, parsed and checked, into the
 * body of a Docker Engine API create request (API v1.41: Config and
 * HostConfig as dockerd 20.10 reads them). Pure front end: it reads only
 * what the flags name (--env-file, --label-file, seccomp and landlock
 * profiles, the environment for bare -e NAME, the --device nodes) and
 * makes nothing. */
#ifndef SCUTE_CLI_RUN_FLAGS_H
#define SCUTE_CLI_RUN_FLAGS_H

#include <jansson.h>
#include <stdbool.h>

#include "scute.h"

struct cli_run_request {
	char *name; /* --name, or NULL */
	bool detach, interactive, tty, help;
	char *image; /* the first positional argument */
	json_t *config; /* Docker ContainerConfig (API v1.41 shape): Image, Cmd, Entrypoint, Env, ... */
	json_t *host_config; /* Docker HostConfig */
	/* Array of strings the CLI prints on stderr, each as "WARNING: %s"
	 * (the strings carry no prefix, as the API's Warnings do not). */
	json_t *warnings;
};

/* Parse argv (argv[0] is the verb name; options stop at the image, the rest is Cmd).
 * Returns 0, or -1 with err naming the flag and value ("--memory: invalid size \"12x\"").
 * Unknown flag: -1 with err->code EINVAL and a message naming it.
 * With --help, returns 0 at once with r->help set (no image needed).
 * -d is a flag of "run" only, as in docker. On failure *r holds nothing. */
int cli_run_flags_parse(int argc, char **argv, struct cli_run_request *r, struct scute_err *err);
void cli_run_request_free(struct cli_run_request *r);

#endif
