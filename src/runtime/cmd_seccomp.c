/* scute-runtime seccomp convert [--cap CAP]... [--kernel X.Y] FILE:
 * the OCI linux.seccomp a Docker-format profile yields on this machine. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "runtime.h"

static int add_cap(uint64_t *caps, const char *name)
{
	char full[64];
	int cap;

	snprintf(full, sizeof(full), "%s%s", strncasecmp(name, "CAP_", 4) ? "CAP_" : "", name);
	cap = scute_cap_from_name(full);
	if (cap < 0)
		return runtime_fail_msg("seccomp convert: --cap: unknown capability \"%s\"", name);
	*caps |= 1ULL << cap;
	return 0;
}

static int convert(int argc, char **argv)
{
	static const struct option opts[] = { { "cap", required_argument, 0, 'c' },
					      { "kernel", required_argument, 0, 'k' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	struct scute_docker_env env;
	struct scute_err err = { 0 };
	const char *kernel = NULL;
	uint64_t caps = 0;
	json_t *out;
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'c' && add_cap(&caps, optarg) != 0)
			return 1;
		else if (c == 'k')
			kernel = optarg;
		else if (c != 'c')
			return runtime_usage(runtime_find_verb("seccomp"), c == 'h' ? 0 : 1);
	}
	if (optind != argc - 1)
		return runtime_fail_msg("seccomp convert: exactly one profile file is required");
	if (scute_docker_env_native(&env, caps, &err) < 0)
		return runtime_fail(&err);
	if (kernel && scute_parse_kernel_version(kernel, &env.kernel_major, &env.kernel_minor) < 0)
		return runtime_fail_msg("seccomp convert: --kernel: \"%s\" is not X.Y", kernel);
	out = scute_seccomp_docker_file(argv[optind], &env, &err);
	if (!out)
		return runtime_fail(&err);
	char *text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", text);
	free(text);
	json_decref(out);
	return 0;
}

int cmd_seccomp(struct global_opts *g, int argc, char **argv)
{
	(void)g;
	if (argc >= 2 && strcmp(argv[1], "convert") == 0)
		return convert(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") == 0)
		return runtime_usage(runtime_find_verb("seccomp"), 0);
	return runtime_usage(runtime_find_verb("seccomp"), 1);
}
