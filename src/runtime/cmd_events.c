/* events [--stats] [--interval D] ID: runc's event stream. With --stats,
 * one {"type":"stats",...} line; otherwise stats every interval and an
 * {"type":"oom",...} line whenever the kernel OOM-kills in the container,
 * until it stops. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static void emit(const char *type, const char *id, json_t *data, void *arg)
{
	json_t *ev = json_pack("{s:s, s:s}", "type", type, "id", id);
	char *text;

	(void)arg;
	if (data)
		json_object_set_new(ev, "data", data);
	text = json_dumps(ev, JSON_COMPACT);
	printf("%s\n", text);
	fflush(stdout);
	free(text);
	json_decref(ev);
}

int cmd_events(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = { { "stats", no_argument, 0, 's' },
					      { "interval", required_argument, 0, 'i' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	struct scute_err err = { 0 };
	int64_t interval = 5000;
	bool once = false;
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 's')
			once = true;
		else if (c == 'i' && scute_parse_duration_ms(optarg, &interval, &err) < 0)
			return scute_err_prefix(&err, "events: --interval"), runtime_fail(&err);
		else if (c != 'i')
			return runtime_usage(runtime_find_verb("events"), c == 'h' ? 0 : 1);
	}
	if (optind != argc - 1)
		return runtime_fail_msg("events: exactly one container id is required");
	if (scute_container_events(g->root, argv[optind], interval, once, emit, NULL, &err) < 0)
		return runtime_fail(&err);
	return 0;
}
