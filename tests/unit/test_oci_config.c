/* Unit tests of the record → OCI config derivation
 * (src/engine/containers/oci_config.c and its parts): docker's fields land
 * where the runtime reads them, the defaults stay when a field is unset,
 * bad values are refused naming the field, and users come from the root's
 * own /etc (a symlink there cannot lead out of it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create.h"
#include "tmpdir.h"
#include "user_lookup.h"

struct fixture {
	struct scute_container_defaults cd;
	struct scute_oci_defaults od;
};

static int setup(void **state)
{
	static struct fixture f;
	struct scute_engine_config c;
	struct scute_err err = { 0 };

	if (scute_engine_config_parse("{}", "test", &c, &err) < 0 ||
	    scute_container_defaults_resolve(&c, "test", &f.cd, &err) < 0 ||
	    scute_oci_defaults_from(&f.cd, &f.od, &err) < 0) {
		print_error("defaults: %s\n", err.msg);
		return -1;
	}
	scute_engine_config_free(&c);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	scute_oci_defaults_clear(&f->od);
	scute_container_defaults_free(&f->cd);
	return 0;
}

/* The config for Config and HostConfig given as JSON text; NULL with err. */
static json_t *derive(struct fixture *f, const char *config, const char *host, int rootfd,
		      struct scute_err *err)
{
	struct scute_container c = { 0 };
	struct scute_oci_inputs in = { .c = &c, .d = &f->od, .rootfd = rootfd };
	json_t *out;

	memset(c.id, 'a', 64);
	c.config = json_loads(config, 0, NULL);
	c.host_config = json_loads(host, 0, NULL);
	assert_non_null(c.config);
	assert_non_null(c.host_config);
	out = scute_oci_config_derive(&in, err);
	json_decref(c.config);
	json_decref(c.host_config);
	return out;
}

static json_t *ok(struct fixture *f, const char *config, const char *host)
{
	struct scute_err err = { 0 };
	json_t *out = derive(f, config, host, -1, &err);

	if (!out)
		fail_msg("%s %s: %s", config, host, err.msg);
	return out;
}

static void refused(struct fixture *f, const char *config, const char *host, const char *needle)
{
	struct scute_err err = { 0 };
	json_t *out = derive(f, config, host, -1, &err);

	assert_null(out);
	if (!strstr(err.msg, needle))
		fail_msg("%s: \"%s\" not in \"%s\"", host, needle, err.msg);
}

static bool has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), s)) return true;
	return false;
}

static json_t *path(json_t *doc, const char *a, const char *b)
{
	return json_object_get(json_object_get(doc, a), b);
}

static json_t *caps(json_t *spec)
{
	return json_object_get(path(spec, "process", "capabilities"), "bounding");
}

static void test_defaults(void **state)
{
	json_t *s = ok(*state, "{\"Cmd\": [\"sh\"]}", "{}");

	assert_true(json_is_true(path(s, "process", "noNewPrivileges")));
	assert_true(has_string(caps(s), "CAP_CHOWN"));
	assert_false(has_string(caps(s), "CAP_NET_RAW"));
	assert_false(has_string(caps(s), "CAP_MKNOD"));
	assert_non_null(path(s, "linux", "seccomp"));
	assert_true(json_is_false(path(s, "root", "readonly")));
	assert_string_equal(json_string_value(json_object_get(s, "hostname")), "aaaaaaaaaaaa");
	assert_int_equal(json_array_size(path(s, "linux", "maskedPaths")), 13);
	json_decref(s);
}

static void test_process(void **state)
{
	json_t *s = ok(*state,
		       "{\"Entrypoint\": [\"/bin/e\"], \"Cmd\": [\"a\", \"b\"], \"Env\": [\"X=1\"],"
		       " \"WorkingDir\": \"/w\", \"Hostname\": \"h\"}",
		       "{\"Init\": true, \"ReadonlyRootfs\": true, \"OomScoreAdj\": 500}");
	json_t *args = path(s, "process", "args");

	assert_string_equal(json_string_value(json_array_get(args, 0)), SCUTE_INIT_DESTINATION);
	assert_string_equal(json_string_value(json_array_get(args, 2)), "/bin/e");
	assert_string_equal(json_string_value(json_array_get(args, 4)), "b");
	assert_true(has_string(path(s, "process", "env"), "X=1"));
	assert_true(has_string(path(s, "process", "env"), "HOSTNAME=h"));
	assert_string_equal(json_string_value(path(s, "process", "cwd")), "/w");
	assert_true(json_is_true(path(s, "root", "readonly")));
	assert_int_equal(json_integer_value(path(s, "process", "oomScoreAdj")), 500);
	json_decref(s);
	refused(*state, "{}", "{}", "no command");
	refused(*state, "{\"Cmd\": [\"sh\"], \"WorkingDir\": \"rel\"}", "{}", "Config.WorkingDir");
	refused(*state, "{\"Cmd\": [\"sh\"], \"Env\": [\"=x\"]}", "{}", "Config.Env[0]");
}

static void test_capabilities(void **state)
{
	json_t *s =
		ok(*state, "{\"Cmd\": [\"sh\"]}",
		   "{\"CapDrop\": [\"ALL\"], \"CapAdd\": [\"net_bind_service\", \"CAP_CHOWN\"]}");

	assert_int_equal(json_array_size(caps(s)), 2);
	assert_true(has_string(caps(s), "CAP_NET_BIND_SERVICE"));
	assert_true(has_string(caps(s), "CAP_CHOWN"));
	json_decref(s);
	s = ok(*state, "{\"Cmd\": [\"sh\"]}",
	       "{\"CapAdd\": [\"SYS_ADMIN\"], \"CapDrop\": [\"KILL\"]}");
	assert_true(has_string(caps(s), "CAP_SYS_ADMIN"));
	assert_false(has_string(caps(s), "CAP_KILL"));
	json_decref(s);
	s = ok(*state, "{\"Cmd\": [\"sh\"]}", "{\"Privileged\": true}");
	assert_true(has_string(caps(s), "CAP_SYS_MODULE"));
	assert_null(path(s, "linux", "seccomp"));
	assert_int_equal(json_array_size(path(s, "linux", "maskedPaths")), 0);
	json_decref(s);
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"CapAdd\": [\"CAP_FOO\"]}",
		"HostConfig.CapAdd[0]: unknown capability \"CAP_FOO\"");
}

static void test_security_opts(void **state)
{
	json_t *s = ok(*state, "{\"Cmd\": [\"sh\"]}",
		       "{\"SecurityOpt\": [\"no-new-privileges=false\", \"seccomp=unconfined\","
		       " \"unmask=/proc/kcore\", \"mask=/proc/x\"]}");

	assert_true(json_is_false(path(s, "process", "noNewPrivileges")));
	assert_null(path(s, "linux", "seccomp"));
	assert_false(has_string(path(s, "linux", "maskedPaths"), "/proc/kcore"));
	assert_true(has_string(path(s, "linux", "maskedPaths"), "/proc/x"));
	json_decref(s);
	s = ok(*state, "{\"Cmd\": [\"sh\"]}",
	       "{\"SecurityOpt\": [\"seccomp={\\\"defaultAction\\\": \\\"SCMP_ACT_ALLOW\\\","
	       " \\\"syscalls\\\": [{\\\"names\\\": [\\\"mkdir\\\"], \\\"action\\\":"
	       " \\\"SCMP_ACT_ERRNO\\\"}]}\"]}");
	assert_string_equal(
		json_string_value(json_object_get(path(s, "linux", "seccomp"), "defaultAction")),
		"SCMP_ACT_ALLOW");
	json_decref(s);
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"SecurityOpt\": [\"seccomp={\"]}", "seccomp");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"SecurityOpt\": [\"bogus=1\"]}",
		"unknown option \"bogus\"");
	if (!scute_apparmor_enabled())
		refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"SecurityOpt\": [\"apparmor=x\"]}",
			"AppArmor is not enabled");
	if (!scute_selinux_enabled())
		refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"SecurityOpt\": [\"label=type:t\"]}",
			"SELinux is not enabled");
}

static void test_namespaces_and_mounts(void **state)
{
	json_t *s = ok(*state, "{\"Cmd\": [\"sh\"]}",
		       "{\"NetworkMode\": \"host\", \"PidMode\": \"host\", \"UTSMode\": \"host\","
		       " \"ShmSize\": 1048576, \"Tmpfs\": {\"/t\": \"size=1m\"},"
		       " \"Binds\": [\"/srv:/data:ro\"]}");
	json_t *ns = path(s, "linux", "namespaces"), *m;
	size_t i;
	bool shm = false, tmpfs = false, bind = false;

	json_array_foreach(ns, i, m)
	{
		const char *t = json_string_value(json_object_get(m, "type"));

		assert_true(strcmp(t, "network") && strcmp(t, "pid") && strcmp(t, "uts"));
	}
	assert_null(json_object_get(s, "hostname"));
	json_array_foreach(json_object_get(s, "mounts"), i, m)
	{
		const char *d = json_string_value(json_object_get(m, "destination"));

		shm |= !strcmp(d, "/dev/shm") &&
		       has_string(json_object_get(m, "options"), "size=1024k");
		tmpfs |= !strcmp(d, "/t") && has_string(json_object_get(m, "options"), "size=1m");
		bind |= !strcmp(d, "/data") && has_string(json_object_get(m, "options"), "ro");
	}
	assert_true(shm && tmpfs && bind);
	json_decref(s);
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"NetworkMode\": \"bridge\"}", "bridge");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"IpcMode\": \"weird\"}", "HostConfig.IpcMode");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"Binds\": [\"/a:rel\"]}", "HostConfig.Binds[0]");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"Binds\": [\"/a:/b/../c\"]}",
		"HostConfig.Binds[0]");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"Binds\": [\"/a:/b:rx\"]}", "invalid option");
}

static void test_resources_and_limits(void **state)
{
	json_t *s = ok(*state, "{\"Cmd\": [\"sh\"]}",
		       "{\"Memory\": 20971520, \"PidsLimit\": 64, \"NanoCpus\": 500000000,"
		       " \"Ulimits\": [{\"Name\": \"nofile\", \"Soft\": 10, \"Hard\": 20}],"
		       " \"Sysctls\": {\"net.ipv4.ip_forward\": \"1\"}}");
	json_t *res = path(s, "linux", "resources"), *r;
	size_t i;
	bool nofile = false;

	assert_int_equal(json_integer_value(path(res, "memory", "limit")), 20971520);
	assert_int_equal(json_integer_value(path(res, "pids", "limit")), 64);
	assert_int_equal(json_integer_value(path(res, "cpu", "quota")), 50000);
	json_array_foreach(path(s, "process", "rlimits"), i, r) nofile |=
		!strcmp(json_string_value(json_object_get(r, "type")), "RLIMIT_NOFILE") &&
		json_integer_value(json_object_get(r, "soft")) == 10;
	assert_true(nofile);
	assert_string_equal(json_string_value(json_object_get(path(s, "linux", "sysctl"),
							      "net.ipv4.ip_forward")),
			    "1");
	json_decref(s);
	s = ok(*state, "{\"Cmd\": [\"sh\"]}", "{}");
	assert_int_equal(json_integer_value(path(path(s, "linux", "resources"), "pids", "limit")),
			 1024);
	json_decref(s);
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"Memory\": 1024}", "HostConfig.Memory");
	refused(*state, "{\"Cmd\": [\"sh\"]}",
		"{\"Ulimits\": [{\"Name\": \"nofile\", \"Soft\": 30, \"Hard\": 20}]}",
		"HostConfig.Ulimits[0]");
}

static void write_at(const char *dir, const char *name, const char *text)
{
	FILE *f = fopen(test_path(dir, name), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Users come from the root's own files; a passwd that is a symlink to
 * the host's is resolved inside the root (and so not found). */
static void test_users(void **state)
{
	char *dir = test_tmpdir();
	struct scute_user u;
	struct scute_err err = { 0 };
	int fd;

	(void)state;
	if (!dir) {
		fail_msg("no temporary directory");
		return;
	}
	assert_int_equal(mkdir(test_path(dir, "etc"), 0755), 0);
	write_at(dir, "etc/passwd",
		 "root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n");
	write_at(dir, "etc/group", "root:x:0:\nbob:x:1000:\nwheel:x:10:bob\naudio:x:29:\n");
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	json_t *add = json_pack("[s,s]", "audio", "4242");

	assert_int_equal(scute_user_resolve(fd, "bob", add, &u, &err), 0);
	assert_int_equal(u.uid, 1000);
	assert_int_equal(u.gid, 1000);
	assert_string_equal(u.home, "/home/bob");
	assert_int_equal(u.n_groups, 3); /* wheel, audio, 4242 */
	scute_user_clear(&u);
	assert_int_equal(scute_user_resolve(fd, "1000:wheel", NULL, &u, &err), 0);
	assert_int_equal(u.gid, 10);
	scute_user_clear(&u);
	assert_int_equal(scute_user_resolve(fd, "4000:4001", NULL, &u, &err), 0);
	assert_int_equal(u.uid, 4000);
	assert_int_equal(u.gid, 4001);
	scute_user_clear(&u);
	assert_int_equal(scute_user_resolve(fd, "alice", NULL, &u, &err), -1);
	assert_non_null(strstr(err.msg, "unable to find user alice"));
	assert_int_equal(scute_user_resolve(fd, "bob:nogroup", NULL, &u, &err), -1);
	assert_non_null(strstr(err.msg, "unable to find group nogroup"));
	/* the attack: /etc/passwd → a host file; inside the root it is missing */
	unlink(test_path(dir, "etc/passwd"));
	/* the host has /etc/os-release, the root does not */
	assert_int_equal(symlink("/../../etc/os-release", test_path(dir, "etc/passwd")), 0);
	assert_int_equal(scute_user_resolve(fd, "root", NULL, &u, &err), -1);
	assert_non_null(strstr(err.msg, "unable to find user root"));
	/* and a FIFO is refused, never read (it would block) */
	unlink(test_path(dir, "etc/passwd"));
	assert_int_equal(mkfifo(test_path(dir, "etc/passwd"), 0644), 0);
	assert_int_equal(scute_user_resolve(fd, "bob", NULL, &u, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	json_decref(add);
	close(fd);
	test_tmpdir_remove(dir);
}

/* ---- attacks on the derivation (containers_run_attack.bats has the rest) ---- */

/* A create body of the API's with fields of the wrong type or shape: each
 * is refused naming the field, or derived; never a crash. */
static void test_attack_odd_types(void **state)
{
	static const char *const hosts[] = {
		"{\"Binds\": [1]}",
		"{\"Binds\": \"/a:/b\"}",
		"{\"Tmpfs\": {\"/x\": 1}}",
		"{\"Tmpfs\": [\"/x\"]}",
		"{\"Mounts\": [1]}",
		"{\"Mounts\": [{\"Type\": 1, \"Target\": \"/x\"}]}",
		"{\"Mounts\": [{\"Type\": \"bind\", \"Source\": 1, \"Target\": \"/x\"}]}",
		"{\"Mounts\": [{\"Type\": \"tmpfs\", \"Target\": \"/x\", \"TmpfsOptions\": 1}]}",
		"{\"Devices\": [1]}",
		"{\"Devices\": [{\"PathOnHost\": \"/dev/null\", \"PathInContainer\": 1}]}",
		"{\"DeviceCgroupRules\": [1, \"c 1:3\"]}",
		"{\"Ulimits\": [1]}",
		"{\"Sysctls\": [\"kernel.shmmax=1\"]}",
		"{\"CapAdd\": [9]}",
		"{\"CapAdd\": [\"63\"]}",
		"{\"CapDrop\": \"ALL\"}",
		"{\"GroupAdd\": [1]}",
		"{\"SecurityOpt\": [1]}",
		"{\"SecurityOpt\": \"seccomp=unconfined\"}",
		"{\"IpcMode\": 1}",
		"{\"PidMode\": \"container:\"}",
		"{\"ShmSize\": \"1g\"}",
		"{\"OomScoreAdj\": \"-1000\"}",
		"{\"Privileged\": \"true\"}",
		"{\"ReadonlyRootfs\": 1}",
		"{\"Init\": \"yes\"}",
	};
	static const char *const configs[] = {
		"{\"Cmd\": \"sh\"}",
		"{\"Cmd\": [\"sh\", 1]}",
		"{\"Entrypoint\": {}, \"Cmd\": [\"sh\"]}",
		"{\"Cmd\": [\"sh\"], \"Env\": [1]}",
		"{\"Cmd\": [\"sh\"], \"Env\": \"A=1\"}",
		"{\"Cmd\": [\"sh\"], \"Volumes\": [\"/v\"]}",
		"{\"Cmd\": [\"sh\"], \"Hostname\": 1}",
		"{\"Cmd\": [\"sh\"], \"WorkingDir\": 1}",
		"{\"Cmd\": [\"sh\"], \"User\": 0}",
		"{\"Cmd\": [\"sh\"], \"StopSignal\": 9}",
	};
	struct scute_err err;

	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		err = (struct scute_err){ 0 };
		json_decref(derive(*state, "{\"Cmd\": [\"sh\"]}", hosts[i], -1, &err));
	}
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		err = (struct scute_err){ 0 };
		json_decref(derive(*state, configs[i], "{}", -1, &err));
	}
}

/* mask=ALL:/etc/secret: "ALL" in the masked list made every later mask
 * look present already, so /etc/secret was dropped without a word. */
static void test_attack_mask_all(void **state)
{
	json_t *s;

	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"SecurityOpt\": [\"mask=ALL:/etc/secret\"]}",
		"not an absolute path");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"SecurityOpt\": [\"mask=etc/secret\"]}",
		"HostConfig.SecurityOpt[0]");
	/* control: two absolute paths, and unmask=ALL as docker has it */
	s = ok(*state, "{\"Cmd\": [\"sh\"]}",
	       "{\"SecurityOpt\": [\"unmask=ALL\", \"mask=/etc/a:/etc/secret\"]}");
	assert_true(has_string(path(s, "linux", "maskedPaths"), "/etc/secret"));
	assert_true(has_string(path(s, "linux", "maskedPaths"), "/etc/a"));
	assert_false(has_string(path(s, "linux", "maskedPaths"), "/proc/kcore"));
	json_decref(s);
}

/* An image's StopSignal that is no signal made `scute stop` fail with the
 * container left running: refused at create instead. */
static void test_attack_stop_signal(void **state)
{
	json_decref(ok(*state, "{\"Cmd\": [\"sh\"], \"StopSignal\": \"SIGUSR1\"}", "{}"));
	json_decref(ok(*state, "{\"Cmd\": [\"sh\"], \"StopSignal\": \"9\"}", "{}"));
	refused(*state, "{\"Cmd\": [\"sh\"], \"StopSignal\": \"-9\"}", "{}", "Config.StopSignal");
	refused(*state, "{\"Cmd\": [\"sh\"], \"StopSignal\": \"SIGFOO\"}", "{}",
		"Config.StopSignal");
	refused(*state, "{\"Cmd\": [\"sh\"], \"StopSignal\": \"0\"}", "{}", "Config.StopSignal");
}

/* A Hostname from the API with a newline wrote lines of its choosing into
 * the container's /etc/hosts (and HOSTNAME). */
static void test_attack_hostname(void **state)
{
	json_decref(ok(*state, "{\"Cmd\": [\"sh\"], \"Hostname\": \"web-1.example\"}", "{}"));
	refused(*state, "{\"Cmd\": [\"sh\"], \"Hostname\": \"a\\n6.6.6.6 evil\"}", "{}",
		"Config.Hostname");
	refused(*state, "{\"Cmd\": [\"sh\"], \"Hostname\": \"a b\"}", "{}", "Config.Hostname");
}

/* --tmpfs /x:rbind from the API turned the tmpfs into a bind mount of a
 * path relative to the bundle ("tmpfs"). */
static void test_attack_tmpfs_bind(void **state)
{
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"Tmpfs\": {\"/x\": \"size=1m,rbind\"}}",
		"HostConfig.Tmpfs");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"Tmpfs\": {\"/x\": \"bind\"}}",
		"HostConfig.Tmpfs");
}

/* The image's VOLUME /data over the request's -v HOST:/data:ro, --tmpfs
 * /t and --mount type=tmpfs at /m: each was covered by an empty, writable,
 * exec-able anonymous volume. The request's mount is what it gets, as
 * docker has it; a destination of the image's alone still gets one. */
static void test_attack_image_volume_over_mounts(void **state)
{
	struct fixture *f = *state;
	struct scute_container c = { 0 };
	struct scute_oci_inputs in = { .c = &c, .d = &f->od, .rootfd = -1 };
	struct scute_err err = { 0 };
	json_t *s, *m;
	size_t i, at_data = 0, at_t = 0, at_m = 0, at_v = 0;

	memset(c.id, 'a', 64);
	c.config = json_loads("{\"Cmd\": [\"sh\"], \"Volumes\": {\"/data\": {}, \"/t/\": {},"
			      " \"/m\": {}, \"/v\": {}}}",
			      0, NULL);
	c.host_config = json_loads("{\"Binds\": [\"/srv:/data:ro\"], \"Tmpfs\": {\"/t\": \"\"},"
				   " \"Mounts\": [{\"Type\": \"tmpfs\", \"Target\": \"/m\"}]}",
				   0, NULL);
	in.volume_paths = json_pack("{s:s}", "/v", "/var/lib/scute/volumes/x/_data");
	s = scute_oci_config_derive(&in, &err);
	if (!s)
		fail_msg("%s", err.msg);
	json_array_foreach(json_object_get(s, "mounts"), i, m)
	{
		const char *d = json_string_value(json_object_get(m, "destination"));

		at_data += !strcmp(d, "/data");
		at_t += !strcmp(d, "/t") || !strcmp(d, "/t/");
		at_m += !strcmp(d, "/m");
		at_v += !strcmp(d, "/v");
	}
	assert_int_equal(at_data, 1);
	assert_int_equal(at_t, 1);
	assert_int_equal(at_m, 1);
	assert_int_equal(at_v, 1);
	assert_true(scute_oci_mounted_at(c.host_config, "/data"));
	assert_true(scute_oci_mounted_at(c.host_config, "/t/"));
	assert_false(scute_oci_mounted_at(c.host_config, "/v"));
	json_decref(s);
	json_decref(in.volume_paths);
	json_decref(c.config);
	json_decref(c.host_config);
}

/* The image's VOLUME /data came after -v HOST:/data/sub:ro and --tmpfs
 * /data/t in the mounts, and so hid them: parents go first. */
static void test_attack_image_volume_parent(void **state)
{
	struct fixture *f = *state;
	struct scute_container c = { 0 };
	struct scute_oci_inputs in = { .c = &c, .d = &f->od, .rootfd = -1 };
	struct scute_err err = { 0 };
	json_t *s, *m;
	size_t i, data = 0, sub = 0, t = 0;

	memset(c.id, 'a', 64);
	c.config = json_loads("{\"Cmd\": [\"sh\"], \"Volumes\": {\"/data\": {}}}", 0, NULL);
	c.host_config = json_loads(
		"{\"Binds\": [\"/srv:/data/sub:ro\"], \"Tmpfs\": {\"/data/t\": \"\"}}", 0, NULL);
	in.volume_paths = json_pack("{s:s}", "/data", "/var/lib/scute/volumes/x/_data");
	s = scute_oci_config_derive(&in, &err);
	if (!s)
		fail_msg("%s", err.msg);
	json_array_foreach(json_object_get(s, "mounts"), i, m)
	{
		const char *d = json_string_value(json_object_get(m, "destination"));

		data = !strcmp(d, "/data") ? i + 1 : data;
		sub = !strcmp(d, "/data/sub") ? i + 1 : sub;
		t = !strcmp(d, "/data/t") ? i + 1 : t;
	}
	assert_true(data && sub && t);
	assert_true(data < sub && data < t);
	json_decref(s);
	json_decref(in.volume_paths);
	json_decref(c.config);
	json_decref(c.host_config);
}

/* Fields of the wrong type were taken as unset: ReadonlyRootfs 1 gave a
 * writable root, User 0 (a number) root, both without a word. */
static void test_attack_wrong_types_fail_open(void **state)
{
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"ReadonlyRootfs\": 1}",
		"HostConfig.ReadonlyRootfs");
	refused(*state, "{\"Cmd\": [\"sh\"]}", "{\"ReadonlyRootfs\": \"true\"}",
		"HostConfig.ReadonlyRootfs");
	refused(*state, "{\"Cmd\": [\"sh\"], \"User\": 1000}", "{}", "Config.User");
	refused(*state, "{\"Cmd\": [\"sh\"], \"WorkingDir\": [\"/tmp\"]}", "{}",
		"Config.WorkingDir");
	/* control: null is unset, as docker's API has it */
	json_decref(
		ok(*state, "{\"Cmd\": [\"sh\"], \"User\": null}", "{\"ReadonlyRootfs\": null}"));
}

/* "0" x 260 then "1000" is uid 1000 (docker reads it so); cut to the
 * first 255 characters it was uid 0. */
static void test_attack_user_truncated(void **state)
{
	char *dir = test_tmpdir(), user[300], group[300];
	struct scute_user u = { 0 };
	struct scute_err err = { 0 };
	int fd, rc;

	(void)state;
	if (!dir) {
		fail_msg("no temporary directory");
		return;
	}
	assert_int_equal(mkdir(test_path(dir, "etc"), 0755), 0);
	write_at(dir, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	memset(user, '0', 260);
	snprintf(user + 260, sizeof(user) - 260, "1000");
	rc = scute_user_resolve(fd, user, NULL, &u, &err);
	assert_true(rc < 0 || u.uid == 1000);
	scute_user_clear(&u);
	snprintf(group, sizeof(group), "1000:%s", user);
	rc = scute_user_resolve(fd, group, NULL, &u, &err);
	assert_true(rc < 0 || u.gid == 1000);
	if (rc < 0)
		assert_non_null(strstr(err.msg, "Config.User"));
	scute_user_clear(&u);
	close(fd);
	test_tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_process),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_security_opts),
		cmocka_unit_test(test_namespaces_and_mounts),
		cmocka_unit_test(test_resources_and_limits),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_attack_odd_types),
		cmocka_unit_test(test_attack_mask_all),
		cmocka_unit_test(test_attack_stop_signal),
		cmocka_unit_test(test_attack_hostname),
		cmocka_unit_test(test_attack_tmpfs_bind),
		cmocka_unit_test(test_attack_image_volume_over_mounts),
		cmocka_unit_test(test_attack_image_volume_parent),
		cmocka_unit_test(test_attack_wrong_types_fail_open),
		cmocka_unit_test(test_attack_user_truncated),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
