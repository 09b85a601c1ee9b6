/* Docker's transfer display for pull and push on a terminal: one line per
 * layer, "ID: STATUS [=====>    ] DONE/TOTAL", rewritten in place. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_progress.h"
#include "cli_units.h"

#define BAR_WIDTH 50

static void draw_line(struct cli_progress *p, const struct scute_xfer_event *ev)
{
	char bar[BAR_WIDTH + 1], done[16], total[16];
	size_t fill = ev->total > 0 ? (size_t)(ev->done * BAR_WIDTH / ev->total) : 0;
	const char *status = "";

	switch (ev->state) {
	case SCUTE_XFER_WAITING: status = "Waiting"; break;
	case SCUTE_XFER_EXISTS: status = p->push ? "Layer already exists" : "Already exists"; break;
	case SCUTE_XFER_DONE: status = p->push ? "Pushed" : "Pull complete"; break;
	case SCUTE_XFER_FAILED: status = "Failed"; break;
	case SCUTE_XFER_MOVING: status = p->push ? "Pushing" : "Downloading"; break;
	}
	fprintf(stderr, "\r\033[2K%s: %s", ev->id, status);
	if (ev->state == SCUTE_XFER_MOVING && ev->total > 0) {
		if (fill > BAR_WIDTH)
			fill = BAR_WIDTH;
		memset(bar, ' ', BAR_WIDTH);
		memset(bar, '=', fill);
		if (fill < BAR_WIDTH)
			bar[fill] = '>';
		bar[BAR_WIDTH] = '\0';
		/* docker's progress: decimal units, 4 significant digits */
		cli_human_size((double)ev->done, 4, done, sizeof(done));
		cli_human_size((double)ev->total, 4, total, sizeof(total));
		fprintf(stderr, " [%s] %s/%s", bar, done, total);
	}
}

/* The engine's callback: the first event of each layer adds its line,
 * later ones rewrite it in place (cursor up, redraw, cursor back). */
void cli_progress_event(void *arg, const struct scute_xfer_event *ev)
{
	struct cli_progress *p = arg;

	if (ev->layer >= p->lines) {
		if (p->lines)
			fputc('\n', stderr);
		p->lines = ev->layer + 1;
		draw_line(p, ev);
	} else {
		size_t up = p->lines - 1 - ev->layer;

		if (up)
			fprintf(stderr, "\033[%zuA", up);
		draw_line(p, ev);
		if (up)
			fprintf(stderr, "\033[%zuB", up);
	}
	fflush(stderr);
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->lines)
		fputc('\n', stderr);
	p->lines = 0;
}
