/* scute version: docker's Client and Server sections. scute has no
 * daemon: the server is this binary and the libraries it was built with,
 * so both sections tell the same build. The API version is the Engine
 * API's that scute speaks (dockerd 20.10's). */
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_git.h"
#include "cli_info.h"

#define API_VERSION "1.41"

/* Go's names for the architecture, as docker's OS/Arch shows them. */
static const char *go_arch(void)
{
	static char arch[32];
	struct scute_docker_env env;
	struct scute_err err = { 0 };
	struct utsname u;

	if (scute_docker_env_native(&env, 0, &err) == 0 && env.go_arch)
		snprintf(arch, sizeof(arch), "%s", env.go_arch);
	else if (uname(&u) == 0)
		snprintf(arch, sizeof(arch), "%s", u.machine);
	return arch;
}

/* GitCommit, only where the build knows it. */
static json_t *with_commit(json_t *o)
{
	if (o && CLI_GIT_COMMIT[0])
		json_object_set_new(o, "GitCommit", json_string(CLI_GIT_COMMIT));
	return o;
}

static json_t *version_doc(void)
{
	const struct scmp_version *sv = seccomp_version();
	const char *arch = go_arch();
	char seccomp[32] = "";
	struct utsname u;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	if (sv)
		snprintf(seccomp, sizeof(seccomp), "%u.%u.%u", sv->major, sv->minor, sv->micro);
	json_t *engine = json_pack(
		"{s:s, s:s, s:o}", "Name", "Engine", "Version", SCUTE_VERSION, "Details",
		with_commit(json_pack("{s:s, s:s, s:s, s:s}", "ApiVersion", API_VERSION, "Os",
				      "linux", "Arch", arch, "KernelVersion", u.release)));
	json_t *client = with_commit(json_pack("{s:{s:s}, s:s, s:s, s:s, s:s, s:s}", "Platform",
					       "Name", "", "Version", SCUTE_VERSION, "ApiVersion",
					       API_VERSION, "DefaultAPIVersion", API_VERSION, "Os",
					       "linux", "Arch", arch));
	json_t *server = with_commit(
		json_pack("{s:{s:s}, s:[o, {s:s, s:s}, {s:s, s:s}], s:s, s:s, s:s, s:s, s:s}",
			  "Platform", "Name", "scute Engine", "Components", engine, "Name",
			  "libscute", "Version", SCUTE_VERSION, "Name", "libseccomp", "Version",
			  seccomp, "Version", SCUTE_VERSION, "ApiVersion", API_VERSION, "Os",
			  "linux", "Arch", arch, "KernelVersion", u.release));

	return json_pack("{s:o, s:o}", "Client", client, "Server", server);
}

static const char *field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static void print_text(json_t *doc)
{
	json_t *client = json_object_get(doc, "Client"), *server = json_object_get(doc, "Server");
	json_t *comp;
	size_t i;

	printf("Client:\n %-18s%s\n %-18s%s\n", "Version:", field(client, "Version"),
	       "API version:", field(client, "ApiVersion"));
	if (json_object_get(client, "GitCommit"))
		printf(" %-18s%s\n", "Git commit:", field(client, "GitCommit"));
	printf(" %-18s%s/%s\n\nServer: %s\n", "OS/Arch:", field(client, "Os"),
	       field(client, "Arch"), field(json_object_get(server, "Platform"), "Name"));
	json_array_foreach(json_object_get(server, "Components"), i, comp)
	{
		json_t *d = json_object_get(comp, "Details");

		printf(" %s:\n  %-17s%s\n", field(comp, "Name"),
		       "Version:", field(comp, "Version"));
		if (!d)
			continue;
		printf("  %-17s%s\n", "API version:", field(d, "ApiVersion"));
		if (json_object_get(d, "GitCommit"))
			printf("  %-17s%s\n", "Git commit:", field(d, "GitCommit"));
		printf("  %-17s%s/%s\n  %-17s%s\n", "OS/Arch:", field(d, "Os"), field(d, "Arch"),
		       "Kernel Version:", field(d, "KernelVersion"));
	}
}

int cmd_version(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("version");
	struct scute_err err = { 0 };
	const char *format = NULL;
	auto_json json_t *doc = NULL;
	int opt;

	(void)c;
	while ((opt = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': format = optarg; break;
		case 'h': return cli_usage(v, 0);
		default: return cli_usage(v, CLI_EXIT_FAIL);
		}
	}
	if (optind < argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	doc = version_doc();
	if (!doc)
		return cli_fail_msg("version: out of memory");
	if (!format) {
		print_text(doc);
		return fflush(stdout) == 0 ? 0 : cli_fail_msg("version: write failed");
	}
	return cli_print_template(doc, format, &err) < 0 ? cli_fail(&err) : 0;
}
