/* ps [--format table|json] ID [PS-ARGS...]: the container's processes.
 * json: the pid list, as runc prints it; table: ps(1)'s output (default
 * "-ef") limited to the container's pids. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"

static bool listed(const pid_t *pids, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Start ps(1) with these arguments (default "-ef"), no shell between:
 * the arguments reach it as they are. Returns its stdout, or NULL. */
static FILE *start_ps(char **ps_args, int n_args, pid_t *child)
{
	static char ps[] = "ps", ef[] = "-ef";
	char *argv[n_args + 3];
	int out[2];

	argv[0] = ps;
	argv[1] = ef;
	argv[2] = NULL;
	for (int i = 0; i < n_args; i++)
		argv[i + 1] = ps_args[i];
	if (n_args > 0)
		argv[n_args + 1] = NULL;
	if (pipe2(out, O_CLOEXEC) < 0)
		return NULL;
	*child = fork();
	if (*child == 0) {
		if (dup2(out[1], STDOUT_FILENO) < 0)
			_exit(127);
		execvp(ps, argv);
		_exit(127);
	}
	close(out[1]);
	if (*child < 0) {
		close(out[0]);
		return NULL;
	}
	FILE *f = fdopen(out[0], "r");
	if (!f)
		close(out[0]);
	return f;
}

/* Run ps(1) and keep its header and the lines whose PID column is ours. */
static int ps_table(const pid_t *pids, size_t n, char **ps_args, int n_args)
{
	char line[4096];
	int pid_col = -1, status, rc = 0;
	pid_t child = -1;
	FILE *p = start_ps(ps_args, n_args, &child);

	if (!p) {
		if (child > 0)
			waitpid(child, NULL, 0);
		return runtime_fail_msg("ps: run ps: %s", strerror(errno));
	}
	for (int row = 0; fgets(line, sizeof(line), p); row++) {
		char copy[4096], *save = NULL, *tok;
		int col = 0;
		snprintf(copy, sizeof(copy), "%s", line);
		for (tok = strtok_r(copy, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save), col++) {
			if (row == 0 && strcmp(tok, "PID") == 0)
				pid_col = col;
			if (row > 0 && col == pid_col)
				break;
		}
		if (row == 0 && pid_col < 0) {
			rc = runtime_fail_msg("ps: no PID column in the output of ps");
			break;
		}
		struct scute_err not_pid;
		int64_t pid;
		if (row == 0 || (tok && scute_parse_int(tok, 1, INT32_MAX, &pid, &not_pid) == 0 &&
				 listed(pids, n, (pid_t)pid)))
			fputs(line, stdout);
	}
	fclose(p);
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return rc ? rc : runtime_fail_msg("ps: ps failed (is procps installed?)");
	return rc;
}

int cmd_ps(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, 0, 'f' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	struct scute_err err = { 0 };
	bool json = false;
	pid_t *pids;
	size_t n;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = !strcmp(optarg, "json");
		else if (c == 'f')
			return runtime_fail_msg(
				"ps: --format: unknown format \"%s\" (table or json)", optarg);
		else
			return runtime_usage(runtime_find_verb("ps"), c == 'h' ? 0 : 1);
	}
	if (optind >= argc)
		return runtime_fail_msg("ps: a container id is required");
	if (scute_container_pids(g->root, argv[optind], &pids, &n, &err) < 0)
		return runtime_fail(&err);
	if (json) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", pids[i]);
		printf("]\n");
	} else {
		rc = ps_table(pids, n, argv + optind + 1, argc - optind - 1);
	}
	free(pids);
	return rc;
}
