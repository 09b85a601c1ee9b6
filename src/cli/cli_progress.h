/* The terminal display of pull's and push's layer transfers (progress.c). */
#ifndef SCUTE_CLI_PROGRESS_H
#define SCUTE_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "pull.h"

struct cli_progress {
	bool push;    /* push's words ("Pushed") instead of pull's */
	size_t lines; /* lines drawn so far */
};

/* A scute_xfer_progress: draws on stderr, which must be a terminal. */
void cli_progress_event(void *arg, const struct scute_xfer_event *ev);
/* End the display (the cursor goes below the last line). */
void cli_progress_end(struct cli_progress *p);

#endif
