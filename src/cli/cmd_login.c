/* scute login and scute logout: credentials checked against the registry
 * and kept in docker's config.json (credentials.h), so docker's logins
 * work for scute and scute's for docker. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli.h"
#include "credentials.h"
#include "registry.h"

/* The longest username or password read. */
#define SECRET_MAX 4096

/* The registry a login names, as a reference's domain: docker's forms
 * "https://index.docker.io/v1/", "http://HOST:PORT/", "HOST:PORT" (none:
 * Docker Hub). */
static void server_domain(const char *server, char *out, size_t len)
{
	const char *s = server ? server : "docker.io";
	size_t n;

	if (!strncmp(s, "https://", 8))
		s += 8;
	else if (!strncmp(s, "http://", 7))
		s += 7;
	n = strcspn(s, "/");
	if ((n == 15 && !strncmp(s, "index.docker.io", n)) ||
	    (n == 20 && !strncmp(s, "registry-1.docker.io", n)))
		s = "docker.io", n = 9;
	snprintf(out, len, "%.*s", (int)n, s);
}

/* One line from FD, without its line end; echo off on a terminal. */
static int read_line(FILE *in, bool secret, char *buf, size_t len)
{
	struct termios old, quiet;
	bool tty = secret && tcgetattr(fileno(in), &old) == 0;
	char *got;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(in), TCSAFLUSH, &quiet);
	}
	got = fgets(buf, (int)len, in);
	if (tty) {
		tcsetattr(fileno(in), TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* docker login --password-stdin: all of stdin, trailing line ends cut. */
static int read_stdin_password(char *buf, size_t len)
{
	size_t got = fread(buf, 1, len - 1, stdin);

	if (ferror(stdin) || (got == len - 1 && !feof(stdin)))
		return -1;
	while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
		got--;
	buf[got] = '\0';
	return 0;
}

struct login_args {
	const char *user, *password, *server;
	bool password_stdin;
};

static int parse_login(const struct cli_verb *v, int argc, char **argv, struct login_args *a)
{
	static const struct option opts[] = {
		{ "username", required_argument, 0, 'u' },
		{ "password", required_argument, 0, 'p' },
		{ "password-stdin", no_argument, 0, 'S' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "u:p:h", opts, NULL)) != -1) {
		switch (o) {
		case 'u': a->user = optarg; break;
		case 'p': a->password = optarg; break;
		case 'S': a->password_stdin = true; break;
		default: return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL) ? -1 : 1;
		}
	}
	if (optind + 1 < argc)
		return cli_usage(v, CLI_EXIT_FAIL), -1;
	a->server = optind < argc ? argv[optind] : NULL;
	if (a->password_stdin && a->password)
		return cli_fail_msg("login: --password and --password-stdin are mutually "
				    "exclusive"),
		       -1;
	if (a->password_stdin && !a->user)
		return cli_fail_msg("login: --password-stdin needs --username"), -1;
	return 0;
}

static int ask(const char *prompt, bool secret, char *buf, size_t len)
{
	if (!isatty(STDIN_FILENO))
		return cli_fail_msg("login: cannot ask for the %s: stdin is not a terminal (use "
				    "--username and --password-stdin)",
				    prompt);
	fprintf(stderr, "%s: ", prompt);
	if (read_line(stdin, secret, buf, len) < 0)
		return cli_fail_msg("login: no %s given", prompt);
	return 0;
}

int cmd_login(struct cli *c, int argc, char **argv)
{
	const struct cli_verb *v = cli_find_verb("login");
	struct login_args a = { 0 };
	char user[SECRET_MAX] = "", password[SECRET_MAX] = "", domain[512];
	struct scute_registry_opts ro;
	struct scute_registry *r;
	struct scute_err err = { 0 };
	auto_free char *path = NULL;
	int rc = parse_login(v, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_EXIT_FAIL : 0;
	if (a.password)
		fprintf(stderr, "WARNING! Using --password via the CLI is insecure. Use "
				"--password-stdin.\n");
	if (a.user)
		snprintf(user, sizeof(user), "%s", a.user);
	else if (ask("Username", false, user, sizeof(user)))
		return CLI_EXIT_FAIL;
	if (a.password_stdin) {
		if (read_stdin_password(password, sizeof(password)) < 0)
			return cli_fail_msg("login: cannot read the password from stdin");
	} else if (a.password) {
		snprintf(password, sizeof(password), "%s", a.password);
	} else if (ask("Password", true, password, sizeof(password))) {
		return CLI_EXIT_FAIL;
	}
	if (!user[0] || !password[0])
		return cli_fail_msg("login: username and password must not be empty");
	server_domain(a.server, domain, sizeof(domain));
	cli_registry_opts(c, &ro);
	path = scute_credentials_default_path(&err);
	r = path ? scute_registry_open(&ro, domain, &err) : NULL;
	rc = r ? scute_registry_login(r, user, password, &err) : -1;
	if (rc == 0)
		rc = scute_credentials_store(path, scute_registry_credentials_key(r), user,
					     password, &err);
	scute_registry_close(r);
	explicit_bzero(password, sizeof(password));
	if (rc < 0)
		return cli_fail(&err);
	printf("Login Succeeded\n");
	return 0;
}

int cmd_logout(struct cli *c, int argc, char **argv)
{
	const struct cli_verb *v = cli_find_verb("logout");
	struct scute_err err = { 0 };
	auto_free char *path = NULL;
	char domain[512];
	const char *key;
	int o, rc;

	(void)c;
	while ((o = getopt_long(argc, argv, "h",
				(const struct option[]){ { "help", 0, 0, 'h' }, { 0, 0, 0, 0 } },
				NULL)) != -1)
		return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	if (optind + 1 < argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	server_domain(optind < argc ? argv[optind] : NULL, domain, sizeof(domain));
	key = scute_credentials_key(domain);
	path = scute_credentials_default_path(&err);
	rc = path ? scute_credentials_erase(path, key, &err) : -1;
	if (rc < 0)
		return cli_fail(&err);
	if (rc == 0)
		printf("Not logged in to %s\n", key);
	else
		printf("Removing login credentials for %s\n", key);
	return 0;
}
