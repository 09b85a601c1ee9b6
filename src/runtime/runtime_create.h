/* Options shared by `create` and `run`. */
#ifndef SCUTE_RUNTIME_CREATE_H
#define SCUTE_RUNTIME_CREATE_H

#include <stdbool.h>

#include "scute.h"

struct create_cli {
	struct scute_create_opts opts;
	bool is_run;
	bool detach, keep;
};

/* 0 to go on; >0 an exit status; <0 after --help (exit 0). */
int parse_create_opts(int argc, char **argv, struct create_cli *cli);

#endif
