/* The image transfer verbs (load, save, import, pull, push, login, logout)
 * of the `scute` binary: each runs `scute-images`, the binary built with
 * their real implementations, with the same global options and arguments.
 *
 * Why two binaries: those verbs need libarchive and libcurl, which load
 * some forty shared libraries (ICU, libxml2, GnuTLS, Kerberos, ...) whose
 * symbol binding alone costs more than starting a container. `scute`
 * links none of them, so that run, ps and the rest start at once; the
 * verbs that move images pay for the libraries only when they run. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define IMAGES_BINARY "scute-images"
#define MAX_GLOBAL_ARGS 6

/* Next to this binary (a build tree, or bindir when installed so), else
 * where meson installs it. */
static void images_binary(char *out, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		snprintf(out, size, "%s/%s", dirname(self), IMAGES_BINARY);
		if (access(out, X_OK) == 0)
			return;
	}
	snprintf(out, size, "%s", SCUTE_IMAGES_PATH);
}

static int run_images(struct cli *c, const char *verb, int argc, char **argv)
{
	char path[PATH_MAX];
	char **args = calloc((size_t)argc + MAX_GLOBAL_ARGS + 2, sizeof(char *));
	int n = 0;

	if (!args)
		return cli_fail_msg("%s: out of memory", verb);
	images_binary(path, sizeof(path));
	args[n++] = path;
	args[n++] = (char *)"--root";
	args[n++] = (char *)c->root;
	if (c->cfg.path) {
		args[n++] = (char *)"--config";
		args[n++] = c->cfg.path;
	}
	if (c->debug)
		args[n++] = (char *)"--debug";
	args[n++] = (char *)verb;
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	execv(path, args);
	free(args);
	return cli_fail_msg("%s: cannot run %s: %s", verb, path, strerror(errno));
}

#define EXEC_VERB(fn, name)                             \
	int fn(struct cli *c, int argc, char **argv)    \
	{                                               \
		return run_images(c, name, argc, argv); \
	}

EXEC_VERB(cmd_load, "load")
EXEC_VERB(cmd_save, "save")
EXEC_VERB(cmd_import, "import")
EXEC_VERB(cmd_pull, "pull")
EXEC_VERB(cmd_push, "push")
EXEC_VERB(cmd_login, "login")
EXEC_VERB(cmd_logout, "logout")
