/* AppArmor: the container's profile, and scute's default profile. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsutil.h"
#include "log.h"
#include "lsm.h"

/* profiles/apparmor-default, embedded at build time; "@@NAME@@" stands
 * for the profile's name. */
extern const char scute_apparmor_default_text[];

bool scute_apparmor_enabled(void)
{
	char buf[8];
	struct scute_err ignored;

	if (access("/sys/kernel/security/apparmor", F_OK) != 0)
		return false;
	return scute_read_at(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", buf, sizeof(buf),
			     &ignored) > 0 &&
	       buf[0] == 'Y';
}

bool scute_apparmor_loaded(const char *name)
{
	char line[1024];
	size_t n = strlen(name);
	bool found = false;
	auto_fclose FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");

	if (!f)
		return false;
	/* Lines are "NAME (MODE)". */
	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, name, n) == 0 && strncmp(line + n, " (", 2) == 0;
	return found;
}

int scute_apparmor_apply(int procfd, const char *profile, struct scute_err *err)
{
	char value[SCUTE_APPARMOR_NAME_MAX + 8];
	struct scute_err first;
	int n = snprintf(value, sizeof(value), "exec %s", profile);

	/* Never a cut name: "exec " and a prefix of it may be another profile. */
	if (n < 0 || (size_t)n >= sizeof(value))
		return scute_err_set(err, ENAMETOOLONG,
				     "process.apparmorProfile: a name of %zu characters (at "
				     "most %d)",
				     strlen(profile), SCUTE_APPARMOR_NAME_MAX);
	if (scute_proc_thread_write(procfd, "attr/apparmor/exec", value, &first) == 0)
		return 0;
	/* Kernels before 5.8 have only the shared attribute files. */
	if (first.code == ENOENT && scute_proc_thread_write(procfd, "attr/exec", value, err) == 0)
		return 0;
	if (first.code != ENOENT)
		*err = first;
	return scute_err_prefix(err, "process.apparmorProfile \"%s\"", profile);
}

char *scute_apparmor_default_profile(const char *name)
{
	const char *text = scute_apparmor_default_text, *mark;
	size_t cap = strlen(text) + 32 * strlen(name) + 1, len = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	while ((mark = strstr(text, "@@NAME@@")) &&
	       len + (size_t)(mark - text) + strlen(name) < cap) {
		len += (size_t)snprintf(out + len, cap - len, "%.*s%s", (int)(mark - text), text,
					name);
		text = mark + 8;
	}
	snprintf(out + len, cap - len, "%s", text);
	return out;
}

/* Feed the text to apparmor_parser -r (replace, or add) on its stdin. */
static int run_parser(const char *text, struct scute_err *err)
{
	int in[2], status;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return scute_err_sys(err, "pipe");
	/* Both ends are released on every return (a failed fork left them
	 * open before). */
	auto_fd int rd = in[0];
	auto_fd int wr = in[1];
	pid = fork();
	if (pid < 0)
		return scute_err_sys(err, "fork");
	if (pid == 0) {
		dup2(rd, 0);
		execlp("apparmor_parser", "apparmor_parser", "-r", "-K", (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(scute_take_fd(&rd));
	(void)!write(wr, text, strlen(text));
	close(scute_take_fd(&wr)); /* end of input: the parser runs now */
	if (waitpid(pid, &status, 0) < 0)
		return scute_err_sys(err, "wait for apparmor_parser");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return scute_err_set(err, ENOENT,
				     "apparmor_parser is not installed (Debian: "
				     "apt-get install apparmor)");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return scute_err_set(err, EINVAL,
				     "apparmor_parser failed (status %d); its "
				     "message is above",
				     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int scute_apparmor_load_default(const char *name, struct scute_err *err)
{
	auto_free char *text = NULL;
	int rc;

	if (!scute_apparmor_name_valid(name))
		return scute_err_set(err, EINVAL, "\"%s\" is not an AppArmor profile name", name);
	if (!scute_apparmor_enabled())
		return scute_err_set(err, ENOTSUP, "AppArmor is not enabled on this host");
	text = scute_apparmor_default_profile(name);
	if (!text)
		return scute_err_set(err, ENOMEM, "out of memory");
	/* auto_free (cleanup.h); clang-tidy 14 does not run cleanups */
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
	rc = run_parser(text, err);
	if (rc == 0)
		scute_debug("apparmor: profile %s loaded", name);
	return rc < 0 ? scute_err_prefix(err, "load AppArmor profile \"%s\"", name) : 0;
}
