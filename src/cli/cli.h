/* scute: the daemonless, docker-compatible command line over the engine.
 * Global options, the verb table's signature and the helpers the verbs
 * share. Only this layer prints and picks exit codes (docker's: 125 when
 * scute itself fails, whatever the cause). */
#ifndef SCUTE_CLI_H
#define SCUTE_CLI_H

#include <stdbool.h>

#include "engine_config.h"
#include "lifecycle.h"
#include "registry.h"
#include "scute.h"

/* docker's exit status for an error of the engine or of the command line */
#define CLI_EXIT_FAIL 125

struct cli {
	const char *root;	 /* --root, else the config's data-root, else the default */
	char abs_root[PATH_MAX]; /* root, absolute (cli_engine_paths) */
	bool debug;
	struct scute_engine_config cfg; /* --config, else /etc/scute/scute.json */
};

struct cli_verb {
	const char *name;
	const char *usage;   /* after "scute NAME " */
	const char *summary; /* one line for --help */
	int (*run)(struct cli *c, int argc, char **argv);
};

/* Print "scute: MESSAGE" and return CLI_EXIT_FAIL. */
int cli_fail(const struct scute_err *err);
int cli_fail_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the verb's usage (to stdout with status 0, else stderr) and
 * return status. */
int cli_usage(const struct cli_verb *v, int status);
const struct cli_verb *cli_find_verb(const char *name);
/* Find a sub-verb ("image ls") among `verbs` and run it. */
int cli_run_group(struct cli *c, const char *group, const struct cli_verb *verbs, size_t n,
		  int argc, char **argv);

/* inspect's output of DOCS (an array): docker's indented JSON, or each
 * through the -f TEMPLATE (NULL, "" or "json": the JSON). */
int cli_print_inspect(json_t *docs, const char *format, struct scute_err *err);
/* Whether the -f TEMPLATE of an inspect verb parses (before any work). */
int cli_check_template(const char *format, struct scute_err *err);

/* The engine's paths: the store's root made absolute (it must exist: open
 * the store first) and the exec-root of the config. */
int cli_engine_paths(struct cli *c, struct scute_engine_paths *e, struct scute_err *err);
/* The store for writing and the engine's paths: 0, or the failure printed
 * and CLI_EXIT_FAIL. */
int cli_open_engine(struct cli *c, struct scute_store *s, struct scute_engine_paths *e);

/* The registry client's options from the engine config (insecure-registries). */
void cli_registry_opts(const struct cli *c, struct scute_registry_opts *ro);

int cmd_load(struct cli *c, int argc, char **argv);
int cmd_pull(struct cli *c, int argc, char **argv);
int cmd_push(struct cli *c, int argc, char **argv);
int cmd_login(struct cli *c, int argc, char **argv);
int cmd_logout(struct cli *c, int argc, char **argv);
int cmd_images(struct cli *c, int argc, char **argv);
int cmd_image(struct cli *c, int argc, char **argv);
int cmd_image_inspect(struct cli *c, int argc, char **argv);
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_tag(struct cli *c, int argc, char **argv);
int cmd_rmi(struct cli *c, int argc, char **argv);
int cmd_image_prune(struct cli *c, int argc, char **argv);
int cmd_save(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_ps(struct cli *c, int argc, char **argv);
int cmd_container(struct cli *c, int argc, char **argv);
int cmd_inspect(struct cli *c, int argc, char **argv);
int cmd_rm(struct cli *c, int argc, char **argv);
int cmd_kill(struct cli *c, int argc, char **argv);
int cmd_stop(struct cli *c, int argc, char **argv);
int cmd_wait(struct cli *c, int argc, char **argv);
int cmd_rename(struct cli *c, int argc, char **argv);
int cmd_info(struct cli *c, int argc, char **argv);
int cmd_version(struct cli *c, int argc, char **argv);
int cmd_pause(struct cli *c, int argc, char **argv);
int cmd_unpause(struct cli *c, int argc, char **argv);
int cmd_update(struct cli *c, int argc, char **argv);
int cmd_container_prune(struct cli *c, int argc, char **argv);
int cmd_volume(struct cli *c, int argc, char **argv);
int cmd_create(struct cli *c, int argc, char **argv);
int cmd_run(struct cli *c, int argc, char **argv);
int cmd_start(struct cli *c, int argc, char **argv);
int cmd_restart(struct cli *c, int argc, char **argv);

#endif
