/* Unit tests of scute run/create's flag parser (src/cli/run_flags*.c):
 * each flag's JSON in Config or HostConfig, each bad value refused with a
 * message naming the flag and the value, and argv read as docker reads it
 * (combined short flags, --flag=value, options stop at the image). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "run_flags.h"

#define MAX_ARGS 32

static struct cli_run_request req;
static struct scute_err err;
/* the code fails() wants: EINVAL for bad input, errno for a missing file */
static int want_code = EINVAL;

/* Parse verb + first + the NULL-terminated rest; the result in req / err. */
static int vparse(const char *verb, const char *first, va_list ap)
{
	char *argv[MAX_ARGS];
	int argc = 0;

	argv[argc++] = (char *)verb;
	for (const char *a = first; a && argc < MAX_ARGS; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	cli_run_request_free(&req);
	memset(&err, 0, sizeof(err));
	return cli_run_flags_parse(argc, argv, &req, &err);
}

static void ok(const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = vparse("run", first, ap);
	va_end(ap);
	if (rc != 0)
		fail_msg("parse failed: %s", err.msg);
}

/* The parse must fail with EINVAL and a message holding both texts. */
static void fails(const char *want1, const char *want2, const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = vparse("run", first, ap);
	va_end(ap);
	if (rc == 0)
		fail_msg("parse succeeded, wanted an error with %s %s", want1, want2);
	assert_int_equal(err.code, want_code);
	want_code = EINVAL;
	if (!strstr(err.msg, want1) || (want2 && !strstr(err.msg, want2)))
		fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err.msg, want1,
			 want2 ? want2 : "");
	assert_null(req.config);
}

/* Each test's files live in one scratch directory, which the teardown
 * empties and removes even when the test failed half way. */
static char scratch[64];

static const char *scratch_file(const char *name, const char *text)
{
	static char path[8][128];
	static unsigned next;
	char *p = path[next++ % 8];
	FILE *f;

	if (!scratch[0]) {
		snprintf(scratch, sizeof(scratch), "/tmp/test_run_flags_XXXXXX");
		assert_non_null(mkdtemp(scratch));
	}
	snprintf(p, sizeof(path[0]), "%s/%s", scratch, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void scratch_remove(void)
{
	DIR *d;
	struct dirent *e;

	if (!scratch[0])
		return;
	d = opendir(scratch);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(scratch);
	scratch[0] = '\0';
}

/* doc[key] must equal the JSON text (NULL: be absent). */
static void field_is(json_t *doc, const char *key, const char *text)
{
	json_t *got = json_object_get(doc, key), *want;
	json_error_t je;
	char *s;

	if (!text) {
		if (got)
			fail_msg("%s present: %s", key, (s = json_dumps(got, JSON_ENCODE_ANY)));
		return;
	}
	want = json_loads(text, JSON_DECODE_ANY, &je);
	assert_non_null(want);
	if (!json_equal(got, want)) {
		s = got ? json_dumps(got, JSON_ENCODE_ANY) : strdup("(absent)");
		fail_msg("%s is %s, wanted %s", key, s, text);
	}
	json_decref(want);
}

#define cfg(k, t) field_is(req.config, k, t)
#define host(k, t) field_is(req.host_config, k, t)

static void warned(const char *text)
{
	size_t i;
	json_t *w;

	json_array_foreach(req.warnings, i, w)
	{
		if (strstr(json_string_value(w), text))
			return;
	}
	fail_msg("no warning with \"%s\"", text);
}

static void test_defaults(void **state)
{
	(void)state;
	ok("busybox", NULL);
	assert_string_equal(req.image, "busybox");
	assert_null(req.name);
	assert_false(req.detach || req.interactive || req.tty || req.help);
	cfg("Image", "\"busybox\"");
	cfg("Cmd", NULL);
	cfg("AttachStdout", "true");
	cfg("AttachStderr", "true");
	cfg("AttachStdin", "false");
	cfg("OpenStdin", "false");
	cfg("Tty", "false");
	host("NetworkMode", "\"none\"");
	host("LogConfig", "{\"Type\":\"json-file\",\"Config\":{}}");
	host("RestartPolicy", "{\"Name\":\"no\",\"MaximumRetryCount\":0}");
	host("AutoRemove", NULL);
	assert_int_equal(json_array_size(req.warnings), 0);
}

static void test_argv(void **state)
{
	(void)state;
	ok("-dit", "--name", "web", "busybox", "sh", "-c", "echo -d", NULL);
	assert_true(req.detach && req.interactive && req.tty);
	assert_string_equal(req.name, "web");
	cfg("Cmd", "[\"sh\",\"-c\",\"echo -d\"]");
	cfg("AttachStdin", "false");
	cfg("AttachStdout", "false");
	cfg("OpenStdin", "true");
	cfg("StdinOnce", "false");
	cfg("Tty", "true");
	/* options stop at the image: what follows is the command */
	ok("busybox", "--rm", "-m", "x", NULL);
	cfg("Cmd", "[\"--rm\",\"-m\",\"x\"]");
	host("Memory", NULL);
	/* -- ends the options; a later -- is the command's */
	ok("--", "busybox", "--", "ls", NULL);
	cfg("Image", "\"busybox\"");
	cfg("Cmd", "[\"--\",\"ls\"]");
	/* --flag=value, a short flag's value attached, with = and bool=false */
	ok("--memory=64m", "-eA=1", "-e=B=2", "-w/tmp", "--rm=false", "-i=false", "busybox", NULL);
	host("Memory", "67108864");
	cfg("Env", "[\"A=1\",\"B=2\"]");
	cfg("WorkingDir", "\"/tmp\"");
	host("AutoRemove", NULL);
	assert_false(req.interactive);
	/* -i attached: stdin held open and closed at detach */
	ok("-i", "busybox", NULL);
	cfg("AttachStdin", "true");
	cfg("StdinOnce", "true");
	/* a value-taking short flag in a group takes the next argument */
	ok("-de", "X=1", "busybox", NULL);
	assert_true(req.detach);
	cfg("Env", "[\"X=1\"]");
	/* the last --name wins */
	ok("--name", "first", "--name", "/second", "busybox", NULL);
	assert_string_equal(req.name, "/second");
}

static void test_argv_errors(void **state)
{
	(void)state;
	fails("unknown flag: --bogus", NULL, "--bogus", "busybox", NULL);
	fails("unknown shorthand flag: 'x' in -dx", NULL, "-dx", "busybox", NULL);
	fails("requires at least 1 argument", NULL, "-d", NULL);
	fails("requires at least 1 argument", NULL, NULL);
	fails("flag needs an argument: --memory", NULL, "--memory", NULL);
	fails("flag needs an argument: 'e'", NULL, "-e", NULL);
	fails("--rm", "\"maybe\"", "--rm=maybe", "busybox", NULL);
	fails("--name", "UTF-8", "--name", "\xff", "busybox", NULL);
	fails("--name", "\"a b\"", "--name", "a b", "busybox", NULL);
	fails("--name", "\"\"", "--name=", "busybox", NULL);
	fails("--name", "\"_x\"", "--name", "_x", "busybox", NULL);
	/* one character is too short for docker too */
	fails("--name", "\"a\"", "--name", "a", "busybox", NULL);
	/* docker create has no -d */
	{
		char *argv[] = { "create", "-d", "busybox" };
		memset(&err, 0, sizeof(err));
		assert_int_equal(cli_run_flags_parse(3, argv, &req, &err), -1);
		assert_non_null(strstr(err.msg, "'d'"));
		char *argv2[] = { "create", "--rm", "busybox" };
		assert_int_equal(cli_run_flags_parse(3, argv2, &req, &err), 0);
		cfg("AttachStdout", "true");
	}
	/* --help needs no image */
	ok("--help", NULL);
	assert_true(req.help);
}

static void test_env(void **state)
{
	const char *path = scratch_file(
		"env", "\xef\xbb\xbf# a comment\n\n  FILE1=one two \nRF_TEST_SET\nRF_TEST_UNSET\r\n"
		       "EMPTY=\n");

	(void)state;
	setenv("RF_TEST_SET", "from env", 1);
	unsetenv("RF_TEST_UNSET");
	ok("-e", "A=1", "--env-file", path, "--env", "RF_TEST_SET", "-e", "RF_TEST_UNSET", "-e",
	   "B=x=y", "busybox", NULL);
	/* the file's lines come first, as docker puts them */
	cfg("Env", "[\"FILE1=one two \",\"RF_TEST_SET=from env\",\"EMPTY=\",\"A=1\","
		   "\"RF_TEST_SET=from env\",\"B=x=y\"]");
	fails("--env", "\"=x\"", "-e", "=x", "busybox", NULL);
	want_code = ENOENT;
	fails("--env-file", "/nonexistent", "--env-file", "/nonexistent/env", "busybox", NULL);
	path = scratch_file("space", "OK=1\nBAD NAME=2\n");
	fails("--env-file", "line 2", "--env-file", path, "busybox", NULL);
	path = scratch_file("noname", "=2\n");
	fails("--env-file", "no variable name", "--env-file", path, "busybox", NULL);
}

static void test_labels(void **state)
{
	const char *path = scratch_file("labels", "# labels\na=file\nbare\nc=3\n");

	(void)state;
	/* -l wins over the file whatever the order */
	ok("-l", "a=flag", "--label-file", path, "--label", "d", "busybox", NULL);
	cfg("Labels", "{\"a\":\"flag\",\"bare\":\"\",\"c\":\"3\",\"d\":\"\"}");
	fails("--label", "\"=v\"", "-l", "=v", "busybox", NULL);
	want_code = ENOENT;
	fails("--label-file", "/nonexistent", "--label-file", "/nonexistent/l", "busybox", NULL);
}

static void test_strings(void **state)
{
	(void)state;
	ok("-u", "1000:1000", "-h", "web-1.example", "--domainname", "example.com", "--entrypoint",
	   "/bin/sh", "--stop-signal", "SIGUSR1", "--stop-timeout", "30", "busybox", NULL);
	cfg("User", "\"1000:1000\"");
	cfg("Hostname", "\"web-1.example\"");
	cfg("Domainname", "\"example.com\"");
	cfg("Entrypoint", "[\"/bin/sh\"]");
	cfg("StopSignal", "\"SIGUSR1\"");
	cfg("StopTimeout", "30");
	ok("--entrypoint", "", "busybox", NULL);
	cfg("Entrypoint", "[\"\"]");
	fails("--workdir", "\"tmp\"", "-w", "tmp", "busybox", NULL);
	fails("--workdir", "\"/a/../b\"", "-w", "/a/../b", "busybox", NULL);
	fails("--hostname", "\"bad_host\"", "-h", "bad_host", "busybox", NULL);
	fails("--hostname", "\"-x\"", "--hostname", "-x", "busybox", NULL);
	fails("--domainname", "invalid domain name \"a..b\"", "--domainname", "a..b", "busybox",
	      NULL);
	fails("--stop-signal", "\"SIGNOPE\"", "--stop-signal", "SIGNOPE", "busybox", NULL);
	fails("--stop-timeout", "\"soon\"", "--stop-timeout", "soon", "busybox", NULL);
}

static void test_volumes(void **state)
{
	char cwd[4096], want[4200];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	ok("-v", "/srv:/data:ro,Z,rshared", "-v", "cache:/cache:nocopy", "-v", "/anon", "-v",
	   "./sub:/sub", "--volume", "/h:/rw", "busybox", NULL);
	snprintf(want, sizeof(want),
		 "[\"/srv:/data:ro,Z,rshared\",\"cache:/cache:nocopy\",\"%s/sub:/sub\","
		 "\"/h:/rw\"]",
		 strcmp(cwd, "/") ? cwd : "");
	host("Binds", want);
	cfg("Volumes", "{\"/anon\":{}}");
	fails("--volume", "\"rel/dir\"", "-v", "rel/dir:/x", "busybox", NULL);
	fails("--volume", "\"x\"", "-v", "x:/data", "busybox", NULL);
	fails("--volume", "\"data\"", "-v", "/h:data", "busybox", NULL);
	fails("--volume", "\"/h::/d\"", "-v", "/h::/d", "busybox", NULL);
	fails("--volume", "\"/h:/d:\"", "-v", "/h:/d:", "busybox", NULL);
	fails("--volume", "too many", "-v", "/h:/d:ro:x", "busybox", NULL);
	fails("--volume", "\"ro,rw\"", "-v", "/h:/d:ro,rw", "busybox", NULL);
	fails("--volume", "\"bogus\"", "-v", "/h:/d:bogus", "busybox", NULL);
	fails("--volume", "nocopy", "-v", "/h:/d:nocopy", "busybox", NULL);
	fails("--volume", "\"/a/../etc\"", "-v", "/a/../etc:/d", "busybox", NULL);
	fails("--volume", "\"/d/..\"", "-v", "/h:/d/..", "busybox", NULL);
	fails("--volume", "\"./../x\"", "-v", "./../x:/d", "busybox", NULL);
	fails("--volume", "duplicate mount point /d", "-v", "/a:/d", "-v", "/b:/d/", "busybox",
	      NULL);
	fails("--tmpfs", "duplicate mount point /d", "-v", "/a:/d", "--tmpfs", "/d", "busybox",
	      NULL);
	fails("--volume", "\"/\"", "-v", "/h:/", "busybox", NULL);
}

static void test_mount(void **state)
{
	(void)state;
	ok("--mount", "type=bind,source=/srv,target=/data,readonly,bind-propagation=rslave",
	   "--mount",
	   "type=volume,src=cache,dst=/cache,volume-nocopy,volume-label=a=b,"
	   "volume-label=c",
	   "--mount", "type=tmpfs,destination=/run,tmpfs-size=64m,tmpfs-mode=1777", "--mount",
	   "target=/anon,ro=false", "--mount", "\"type=bind\",\"src=/a,b\",dst=/q", "busybox",
	   NULL);
	host("Mounts",
	     "[{\"Type\":\"bind\",\"Source\":\"/srv\",\"Target\":\"/data\",\"ReadOnly\":true,"
	     "\"BindOptions\":{\"Propagation\":\"rslave\"}},"
	     "{\"Type\":\"volume\",\"Source\":\"cache\",\"Target\":\"/cache\","
	     "\"VolumeOptions\":{\"NoCopy\":true,\"Labels\":{\"a\":\"b\",\"c\":\"\"}}},"
	     "{\"Type\":\"tmpfs\",\"Target\":\"/run\","
	     "\"TmpfsOptions\":{\"SizeBytes\":67108864,\"Mode\":1023}},"
	     "{\"Type\":\"volume\",\"Target\":\"/anon\"},"
	     "{\"Type\":\"bind\",\"Source\":\"/a,b\",\"Target\":\"/q\"}]");
	fails("--mount", "target is required", "--mount", "type=bind,src=/a", "busybox", NULL);
	fails("--mount", "unknown type \"npipe\"", "--mount", "type=npipe,dst=/a", "busybox", NULL);
	fails("--mount", "unexpected key \"color\"", "--mount", "dst=/a,color=red", "busybox",
	      NULL);
	fails("--mount", "\"source\" must be key=value", "--mount", "dst=/a,source", "busybox",
	      NULL);
	fails("--mount", "needs a source", "--mount", "type=bind,dst=/a", "busybox", NULL);
	fails("--mount", "\"rel\" is not an absolute path", "--mount", "type=bind,src=rel,dst=/a",
	      "busybox", NULL);
	fails("--mount", "takes no source", "--mount", "type=tmpfs,src=/x,dst=/a", "busybox", NULL);
	fails("--mount", "another type", "--mount", "type=volume,dst=/a,bind-propagation=shared",
	      "busybox", NULL);
	fails("--mount", "another type", "--mount", "type=bind,src=/s,dst=/a,tmpfs-size=1m",
	      "busybox", NULL);
	fails("--mount", "\"rshare\"", "--mount", "type=bind,src=/s,dst=/a,bind-propagation=rshare",
	      "busybox", NULL);
	fails("--mount", "invalid size \"lots\"", "--mount", "type=tmpfs,dst=/a,tmpfs-size=lots",
	      "busybox", NULL);
	fails("--mount", "invalid octal mode \"999\"", "--mount",
	      "type=tmpfs,dst=/a,tmpfs-mode=999", "busybox", NULL);
	fails("--mount", "invalid boolean for readonly", "--mount", "dst=/a,readonly=yes",
	      "busybox", NULL);
	fails("--mount", "invalid CSV", "--mount", "\"dst=/a", "busybox", NULL);
	fails("--mount", "\"a b\" is not a volume name", "--mount", "src=a b,dst=/a", "busybox",
	      NULL);
	fails("--mount", "\"/a/../b\"", "--mount", "dst=/a/../b", "busybox", NULL);
}

static void test_tmpfs(void **state)
{
	(void)state;
	ok("--tmpfs", "/run:rw,noexec,nosuid,size=65536k,mode=1777", "--tmpfs", "/tmp", "busybox",
	   NULL);
	host("Tmpfs", "{\"/run\":\"rw,noexec,nosuid,size=65536k,mode=1777\",\"/tmp\":\"\"}");
	fails("--tmpfs", "\"run\"", "--tmpfs", "run", "busybox", NULL);
	fails("--tmpfs", "\"color=red\"", "--tmpfs", "/run:color=red", "busybox", NULL);
	fails("--tmpfs", "\"size=\"", "--tmpfs", "/run:size=", "busybox", NULL);
	fails("--tmpfs", "empty option", "--tmpfs", "/run:rw,,noexec", "busybox", NULL);
	fails("--tmpfs", "empty option", "--tmpfs", "/run:", "busybox", NULL);
}

static void test_booleans(void **state)
{
	(void)state;
	ok("--rm", "--read-only", "--init", "--oom-kill-disable", "-m", "1g", "busybox", NULL);
	host("AutoRemove", "true");
	host("ReadonlyRootfs", "true");
	host("Init", "true");
	host("OomKillDisable", "true");
	assert_int_equal(json_array_size(req.warnings), 0);
	/* explicitly off: the engine must not put its own default init in */
	ok("--init=false", "busybox", NULL);
	host("Init", "false");
	ok("--oom-kill-disable", "busybox", NULL);
	warned("OOM killer");
	ok("--privileged", "busybox", NULL);
	host("Privileged", "true");
	warned("--privileged");
	/* -d with --rm is fine */
	ok("-d", "--rm", "busybox", NULL);
	host("AutoRemove", "true");
}

static void test_cpu(void **state)
{
	(void)state;
	ok("--cpus", "1.5", "--cpu-shares", "512", "--cpuset-cpus", "0-3,8", "--cpuset-mems", "0",
	   "busybox", NULL);
	host("NanoCpus", "1500000000");
	host("CpuShares", "512");
	host("CpusetCpus", "\"0-3,8\"");
	host("CpusetMems", "\"0\"");
	ok("--cpus", "0.000000001", "-c", "2", "busybox", NULL);
	host("NanoCpus", "1");
	host("CpuShares", "2");
	ok("--cpus", "0", "busybox", NULL);
	host("NanoCpus", "0");
	ok("--cpu-quota", "50000", "--cpu-period", "100000", "busybox", NULL);
	host("CpuQuota", "50000");
	host("CpuPeriod", "100000");
	ok("--cpu-quota", "-1", "busybox", NULL);
	host("CpuQuota", "-1");
	fails("--cpus", "\"-1\"", "--cpus", "-1", "busybox", NULL);
	fails("--cpus", "\"abc\"", "--cpus", "abc", "busybox", NULL);
	fails("--cpus", "\".\"", "--cpus", ".", "busybox", NULL);
	fails("--cpus", "too precise", "--cpus", "0.0000000001", "busybox", NULL);
	fails("--cpus", "too large", "--cpus", "99999999999", "busybox", NULL);
	fails("--cpu-shares", "-5", "--cpu-shares", "-5", "busybox", NULL);
	fails("--cpu-shares", "1", "--cpu-shares", "1", "busybox", NULL);
	fails("--cpu-shares", "262145", "--cpu-shares", "262145", "busybox", NULL);
	fails("--cpu-quota", "999", "--cpu-quota", "999", "busybox", NULL);
	fails("--cpu-period", "999", "--cpu-period", "999", "busybox", NULL);
	fails("--cpu-period", "1000001", "--cpu-period", "1000001", "busybox", NULL);
	fails("--cpuset-cpus", "\"3-1\"", "--cpuset-cpus", "3-1", "busybox", NULL);
	fails("--cpuset-mems", "\"x\"", "--cpuset-mems", "x", "busybox", NULL);
	fails("--cpus and --cpu-period", NULL, "--cpus", "1", "--cpu-period", "100000", "busybox",
	      NULL);
}

static void test_memory(void **state)
{
	(void)state;
	ok("-m", "512m", "--memory-swap", "1g", "--memory-reservation", "256m", "--shm-size", "64m",
	   "busybox", NULL);
	host("Memory", "536870912");
	host("MemorySwap", "1073741824");
	host("MemoryReservation", "268435456");
	host("ShmSize", "67108864");
	ok("-m", "1g", "--memory-swap", "-1", "busybox", NULL);
	host("MemorySwap", "-1");
	fails("--memory: invalid size \"12x\"", NULL, "--memory", "12x", "busybox", NULL);
	fails("--memory", "\"-1\"", "-m", "-1", "busybox", NULL);
	fails("--memory", "6MB", "-m", "1m", "busybox", NULL);
	fails("--memory-swap", "\"lots\"", "--memory-swap", "lots", "busybox", NULL);
	fails("--memory-swap", "--memory", "--memory-swap", "1g", "busybox", NULL);
	fails("--memory-swap", "at least", "-m", "1g", "--memory-swap", "512m", "busybox", NULL);
	fails("--memory-reservation", "above", "-m", "512m", "--memory-reservation", "1g",
	      "busybox", NULL);
	fails("--shm-size", "\"-1\"", "--shm-size", "-1", "busybox", NULL);
}

static void test_limits(void **state)
{
	(void)state;
	ok("--oom-score-adj", "-500", "--pids-limit", "100", "--blkio-weight", "300", "--ulimit",
	   "nofile=1024:2048", "--ulimit", "core=0", "--ulimit", "nofile=10:20", "--ulimit",
	   "stack=-1", "busybox", NULL);
	host("OomScoreAdj", "-500");
	host("PidsLimit", "100");
	host("BlkioWeight", "300");
	/* a second nofile replaces the first */
	host("Ulimits", "[{\"Name\":\"nofile\",\"Soft\":10,\"Hard\":20},"
			"{\"Name\":\"core\",\"Soft\":0,\"Hard\":0},"
			"{\"Name\":\"stack\",\"Soft\":-1,\"Hard\":-1}]");
	ok("--pids-limit", "-1", "--blkio-weight", "0", "busybox", NULL);
	host("PidsLimit", "-1");
	host("BlkioWeight", "0");
	fails("--oom-score-adj", "1001", "--oom-score-adj", "1001", "busybox", NULL);
	fails("--oom-score-adj", "\"x\"", "--oom-score-adj", "x", "busybox", NULL);
	fails("--pids-limit", "-2", "--pids-limit", "-2", "busybox", NULL);
	fails("--blkio-weight", "5", "--blkio-weight", "5", "busybox", NULL);
	fails("--blkio-weight", "1001", "--blkio-weight", "1001", "busybox", NULL);
	fails("--ulimit", "\"fds\"", "--ulimit", "fds=10", "busybox", NULL);
	fails("--ulimit", "\"nofile\"", "--ulimit", "nofile", "busybox", NULL);
	fails("--ulimit", "\"nofile=20:10\"", "--ulimit", "nofile=20:10", "busybox", NULL);
	fails("--ulimit", "\"nofile=x\"", "--ulimit", "nofile=x", "busybox", NULL);
	fails("--ulimit", "\"nofile=1:2:3\"", "--ulimit", "nofile=1:2:3", "busybox", NULL);
}

static void test_devices(void **state)
{
	(void)state;
	ok("--device", "/dev/null", "--device", "/dev/zero:/dev/z:r", "--device", "/dev/full:rw",
	   "--device-cgroup-rule", "c 1:3 rwm", "--device-cgroup-rule", "b *:* r",
	   "--device-cgroup-rule", "a *:* m", "busybox", NULL);
	host("Devices", "[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/null\","
			"\"CgroupPermissions\":\"rwm\"},"
			"{\"PathOnHost\":\"/dev/zero\",\"PathInContainer\":\"/dev/z\","
			"\"CgroupPermissions\":\"r\"},"
			"{\"PathOnHost\":\"/dev/full\",\"PathInContainer\":\"/dev/full\","
			"\"CgroupPermissions\":\"rw\"}]");
	host("DeviceCgroupRules", "[\"c 1:3 rwm\",\"b *:* r\",\"a *:* m\"]");
	warned("/dev/null");
	warned("\"c 1:3 rwm\"");
	warned("\"c 1:5 r\"");
	fails("--device", "\"dev/null\"", "--device", "dev/null", "busybox", NULL);
	fails("--device", "\"rwx\"", "--device", "/dev/null:/dev/n:rwx", "busybox", NULL);
	fails("--device", "\"/dev/null::r\"", "--device", "/dev/null::r", "busybox", NULL);
	want_code = ENOENT;
	fails("--device", "/nonexistent", "--device", "/nonexistent/dev", "busybox", NULL);
	fails("--device", "/tmp is not a device", "--device", "/tmp", "busybox", NULL);
	fails("--device-cgroup-rule", "\"c 1:3\"", "--device-cgroup-rule", "c 1:3", "busybox",
	      NULL);
	fails("--device-cgroup-rule", "\"x 1:3 r\"", "--device-cgroup-rule", "x 1:3 r", "busybox",
	      NULL);
	fails("--device-cgroup-rule", "\"c 1:3 rr\"", "--device-cgroup-rule", "c 1:3 rr", "busybox",
	      NULL);
	fails("--device-cgroup-rule", "\"c a:3 r\"", "--device-cgroup-rule", "c a:3 r", "busybox",
	      NULL);
}

static void test_caps(void **state)
{
	(void)state;
	ok("--cap-add", "net_admin", "--cap-add", "CAP_SYS_TIME", "--cap-add", "cap_net_admin",
	   "--cap-drop", "all", "--cap-drop", "Chown", "busybox", NULL);
	host("CapAdd", "[\"CAP_NET_ADMIN\",\"CAP_SYS_TIME\"]");
	host("CapDrop", "[\"ALL\",\"CAP_CHOWN\"]");
	fails("--cap-add", "\"FLY\"", "--cap-add", "FLY", "busybox", NULL);
	fails("--cap-drop", "\"CAP_\"", "--cap-drop", "CAP_", "busybox", NULL);
	fails("--cap-add", "\"\"", "--cap-add", "", "busybox", NULL);
}

static void test_security_opt(void **state)
{
	const char *seccomp = scratch_file(
		"seccomp.json", "{ \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [] }\n");
	const char *landlock = scratch_file("landlock.json", "{\"paths\": {\"/data\": \"rw\"}}");
	const char *bad = scratch_file("bad.json", "{\n  \"defaultAction\": ,\n}");
	const char *arr = scratch_file("arr.json", "[1, 2]");
	char want[256];

	(void)state;
	snprintf(want, sizeof(want), "seccomp:%s", seccomp);
	ok("--security-opt", "no-new-privileges", "--security-opt", want, "--security-opt",
	   "apparmor=unconfined", "--security-opt", "label=type:spc_t", "--security-opt",
	   "label:disable", "--security-opt", "no-new-privileges:false", "--security-opt",
	   "mask=/proc/a:/proc/b", "--security-opt", "unmask=ALL", "busybox", NULL);
	host("SecurityOpt",
	     "[\"no-new-privileges\","
	     "\"seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ERRNO\\\",\\\"syscalls\\\":[]}\","
	     "\"apparmor=unconfined\",\"label=type:spc_t\",\"label=disable\","
	     "\"no-new-privileges=false\",\"mask=/proc/a:/proc/b\",\"unmask=ALL\"]");
	snprintf(want, sizeof(want), "landlock=%s", landlock);
	ok("--security-opt", want, "--security-opt", "seccomp=unconfined", "--security-opt",
	   "systempaths=unconfined", "--security-opt", "no-new-privileges=true", "--security-opt",
	   "apparmor=my-profile", "--security-opt", "unmask=/proc/kcore", "busybox", NULL);
	host("SecurityOpt", "[\"landlock={\\\"paths\\\":{\\\"/data\\\":\\\"rw\\\"}}\","
			    "\"seccomp=unconfined\",\"no-new-privileges=true\","
			    "\"apparmor=my-profile\",\"unmask=/proc/kcore\"]");
	host("MaskedPaths", "[]");
	host("ReadonlyPaths", "[]");
	snprintf(want, sizeof(want), "seccomp=%s", bad);
	fails(bad, "line 2", "--security-opt", want, "busybox", NULL);
	snprintf(want, sizeof(want), "landlock=%s", arr);
	fails(arr, "not a JSON object", "--security-opt", want, "busybox", NULL);
	fails("--security-opt", "/nonexistent", "--security-opt", "seccomp=/nonexistent/p.json",
	      "busybox", NULL);
	fails("--security-opt", "\"bogus=1\"", "--security-opt", "bogus=1", "busybox", NULL);
	fails("--security-opt", "\"nonsense\"", "--security-opt", "nonsense", "busybox", NULL);
	fails("--security-opt", "\"label=color:red\"", "--security-opt", "label=color:red",
	      "busybox", NULL);
	fails("--security-opt", "\"label=user:\"", "--security-opt", "label=user:", "busybox",
	      NULL);
	fails("--security-opt", "\"no-new-privileges=maybe\"", "--security-opt",
	      "no-new-privileges=maybe", "busybox", NULL);
	fails("--security-opt", "\"apparmor=a b\"", "--security-opt", "apparmor=a b", "busybox",
	      NULL);
	fails("--security-opt", "\"rel\"", "--security-opt", "mask=/a:rel", "busybox", NULL);
	fails("--security-opt", "empty path", "--security-opt", "unmask=/a::/b", "busybox", NULL);
	fails("--security-opt", "\"systempaths=confined\"", "--security-opt",
	      "systempaths=confined", "busybox", NULL);
}

static void test_namespaces(void **state)
{
	(void)state;
	ok("--ipc", "shareable", "--pid", "host", "--uts", "host", "--cgroupns", "private",
	   "--network", "host", "--group-add", "audio", "--group-add", "1001", "busybox", NULL);
	host("IpcMode", "\"shareable\"");
	host("PidMode", "\"host\"");
	host("UTSMode", "\"host\"");
	host("CgroupnsMode", "\"private\"");
	host("NetworkMode", "\"host\"");
	host("GroupAdd", "[\"audio\",\"1001\"]");
	assert_int_equal(json_array_size(req.warnings), 0);
	ok("--ipc", "container:db", "--pid", "container:db", "--cgroupns", "host", "--net", "none",
	   "busybox", NULL);
	host("IpcMode", "\"container:db\"");
	host("PidMode", "\"container:db\"");
	host("NetworkMode", "\"none\"");
	warned("--cgroupns host shares the host's cgroup namespace");
	fails("--ipc", "\"container:\"", "--ipc", "container:", "busybox", NULL);
	fails("--ipc", "\"public\"", "--ipc", "public", "busybox", NULL);
	fails("--pid", "\"private\"", "--pid", "private", "busybox", NULL);
	fails("--uts", "\"private\"", "--uts", "private", "busybox", NULL);
	fails("--cgroupns", "\"\"", "--cgroupns", "", "busybox", NULL);
	fails("--network", "bridge networks are not available yet", "--network", "bridge",
	      "busybox", NULL);
	fails("--network", "\"mynet\"", "--net", "mynet", "busybox", NULL);
	fails("--group-add", "\"\"", "--group-add", "", "busybox", NULL);
	fails("--hostname and --uts host", NULL, "-h", "x", "--uts", "host", "busybox", NULL);
}

static void test_sysctl(void **state)
{
	(void)state;
	ok("--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.shmmax=65536", "--sysctl",
	   "fs.mqueue.msg_max=100", "busybox", NULL);
	host("Sysctls", "{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"65536\","
			"\"fs.mqueue.msg_max\":\"100\"}");
	fails("--sysctl", "\"kernel.panic\"", "--sysctl", "kernel.panic=1", "busybox", NULL);
	fails("--sysctl", "\"net.ipv4.ip_forward\"", "--sysctl", "net.ipv4.ip_forward", "busybox",
	      NULL);
	fails("--sysctl", "--network host", "--network", "host", "--sysctl", "net.core.somaxconn=1",
	      "busybox", NULL);
	fails("--sysctl", "--ipc host", "--ipc", "host", "--sysctl", "kernel.shmmax=1", "busybox",
	      NULL);
}

static void test_restart(void **state)
{
	(void)state;
	ok("--restart", "on-failure:5", "busybox", NULL);
	host("RestartPolicy", "{\"Name\":\"on-failure\",\"MaximumRetryCount\":5}");
	ok("--restart", "unless-stopped", "busybox", NULL);
	host("RestartPolicy", "{\"Name\":\"unless-stopped\",\"MaximumRetryCount\":0}");
	ok("--restart", "no", "--rm", "busybox", NULL);
	host("RestartPolicy", "{\"Name\":\"no\",\"MaximumRetryCount\":0}");
	fails("--restart", "\"sometimes\"", "--restart", "sometimes", "busybox", NULL);
	fails("--restart", "\"always:3\"", "--restart", "always:3", "busybox", NULL);
	fails("--restart", "\"x\"", "--restart", "on-failure:x", "busybox", NULL);
	fails("--restart", "-1", "--restart", "on-failure:-1", "busybox", NULL);
	fails("Conflicting options: --restart and --rm", NULL, "--rm", "--restart", "always",
	      "busybox", NULL);
}

static void test_health(void **state)
{
	(void)state;
	ok("--health-cmd", "curl -f localhost", "--health-interval", "1m30s", "--health-timeout",
	   "1.5s", "--health-start-period", "500ms", "--health-retries", "3", "busybox", NULL);
	cfg("Healthcheck", "{\"Test\":[\"CMD-SHELL\",\"curl -f localhost\"],"
			   "\"Interval\":90000000000,\"Timeout\":1500000000,"
			   "\"StartPeriod\":500000000,\"Retries\":3}");
	ok("--health-interval", "10s", "busybox", NULL);
	cfg("Healthcheck", "{\"Interval\":10000000000}");
	ok("--no-healthcheck", "busybox", NULL);
	cfg("Healthcheck", "{\"Test\":[\"NONE\"]}");
	ok("busybox", NULL);
	cfg("Healthcheck", NULL);
	fails("--no-healthcheck conflicts", NULL, "--no-healthcheck", "--health-cmd", "true",
	      "busybox", NULL);
	fails("--health-interval", "\"5\"", "--health-interval", "5", "busybox", NULL);
	fails("--health-timeout", "\"-1s\"", "--health-timeout", "-1s", "busybox", NULL);
	fails("--health-start-period", "\"500us\"", "--health-start-period", "500us", "busybox",
	      NULL);
	fails("--health-interval", "\"1x\"", "--health-interval", "1x", "busybox", NULL);
	fails("--health-retries", "\"-1\"", "--health-retries", "-1", "busybox", NULL);
}

static void test_logging(void **state)
{
	(void)state;
	ok("--log-opt", "max-size=10m", "--log-opt", "max-file=3", "--log-driver", "json-file",
	   "busybox", NULL);
	host("LogConfig",
	     "{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"10m\",\"max-file\":\"3\"}}");
	ok("--log-driver", "none", "busybox", NULL);
	host("LogConfig", "{\"Type\":\"none\",\"Config\":{}}");
	fails("--log-driver", "\"syslog\"", "--log-driver", "syslog", "busybox", NULL);
	fails("--log-opt", "\"max-size\"", "--log-opt", "max-size", "busybox", NULL);
	fails("--log-opt", "\"color\"", "--log-opt", "color=red", "busybox", NULL);
	fails("--log-opt", "max-file \"0\"", "--log-opt", "max-file=0", "busybox", NULL);
	fails("--log-opt", "max-size \"big\"", "--log-opt", "max-size=big", "busybox", NULL);
	fails("--log-opt", "none", "--log-driver", "none", "--log-opt", "max-file=2", "busybox",
	      NULL);
}

static int teardown(void **state)
{
	(void)state;
	cli_run_request_free(&req);
	want_code = EINVAL;
	scratch_remove();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_argv, teardown),
		cmocka_unit_test_teardown(test_argv_errors, teardown),
		cmocka_unit_test_teardown(test_env, teardown),
		cmocka_unit_test_teardown(test_labels, teardown),
		cmocka_unit_test_teardown(test_strings, teardown),
		cmocka_unit_test_teardown(test_volumes, teardown),
		cmocka_unit_test_teardown(test_mount, teardown),
		cmocka_unit_test_teardown(test_tmpfs, teardown),
		cmocka_unit_test_teardown(test_booleans, teardown),
		cmocka_unit_test_teardown(test_cpu, teardown),
		cmocka_unit_test_teardown(test_memory, teardown),
		cmocka_unit_test_teardown(test_limits, teardown),
		cmocka_unit_test_teardown(test_devices, teardown),
		cmocka_unit_test_teardown(test_caps, teardown),
		cmocka_unit_test_teardown(test_security_opt, teardown),
		cmocka_unit_test_teardown(test_namespaces, teardown),
		cmocka_unit_test_teardown(test_sysctl, teardown),
		cmocka_unit_test_teardown(test_restart, teardown),
		cmocka_unit_test_teardown(test_health, teardown),
		cmocka_unit_test_teardown(test_logging, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
