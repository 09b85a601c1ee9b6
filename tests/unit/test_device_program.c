/* Unit tests of the cgroup v2 device program: its verdicts, run through a
 * small interpreter of the instructions it uses, and (as root, with a
 * cgroup2 mount) the kernel's own verdicts on a cgroup the test makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup_limits.h"

/* Runs the program for one access; -1 on an instruction it does not know
 * or a jump out of bounds. */
static int run(const struct bpf_insn *p, size_t n, char type, uint32_t major, uint32_t minor,
	       const char *access)
{
	uint32_t ctx[3];
	uint64_t r[11] = { 0 };
	int acc = 0;

	acc |= strchr(access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0;
	acc |= strchr(access, 'r') ? BPF_DEVCG_ACC_READ : 0;
	acc |= strchr(access, 'w') ? BPF_DEVCG_ACC_WRITE : 0;
	ctx[0] = (uint32_t)acc << 16 | (type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	ctx[1] = major;
	ctx[2] = minor;
	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint64_t imm = (uint64_t)(int64_t)i->imm;
		switch (i->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
			if (i->src_reg != 1 || i->off % 4 || i->off > 8)
				return -1;
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU64 | BPF_MOV | BPF_X: r[i->dst_reg] = r[i->src_reg]; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: r[i->dst_reg] = imm; break;
		case BPF_ALU64 | BPF_AND | BPF_K: r[i->dst_reg] &= imm; break;
		case BPF_ALU64 | BPF_RSH | BPF_K: r[i->dst_reg] >>= imm; break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (r[i->dst_reg] != imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			if (r[i->dst_reg] == imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_EXIT: return (int)r[0];
		default: return -1;
		}
		if (pc >= n)
			return -1;
	}
	return -1;
}

static struct bpf_insn *program(const struct scute_device_rule *rules, size_t n_rules, size_t *n)
{
	struct scute_resources res = { .devices = (struct scute_device_rule *)rules,
				       .n_devices = n_rules };
	struct bpf_insn *insns = NULL;

	assert_int_equal(scute_device_program(&res, &insns, n), 0);
	return insns;
}

static void test_default_set(void **state)
{
	size_t n;
	struct bpf_insn *p = program(NULL, 0, &n);

	(void)state;
	assert_int_equal(run(p, n, 'c', 1, 3, "rw"), 1);   /* null */
	assert_int_equal(run(p, n, 'c', 1, 9, "r"), 1);	   /* urandom */
	assert_int_equal(run(p, n, 'c', 136, 7, "rw"), 1); /* a pts */
	assert_int_equal(run(p, n, 'c', 5, 2, "rw"), 1);   /* ptmx */
	assert_int_equal(run(p, n, 'c', 1, 4, "r"), 0);	   /* port */
	assert_int_equal(run(p, n, 'b', 8, 0, "r"), 0);	   /* a disk */
	assert_int_equal(run(p, n, 'b', 8, 0, "m"), 1);	   /* mknod only */
	assert_int_equal(run(p, n, 'c', 10, 200, "m"), 1);
	assert_int_equal(run(p, n, 'c', 10, 200, "rm"), 0); /* not more */
	free(p);
}

static void test_config_rules_in_order(void **state)
{
	const struct scute_device_rule rules[] = {
		{ true, 'c', 1, 4, "r" },     { true, 'c', 1, 11, "rw" },
		{ false, 'c', 1, 11, "w" },   { true, 'c', 10, -1, "rw" },
		{ false, 'c', 10, 229, "w" }, { false, 'c', 1, 9, "rwm" },
	};
	size_t n;
	struct bpf_insn *p = program(rules, 6, &n);

	(void)state;
	assert_int_equal(run(p, n, 'c', 1, 4, "r"), 1);
	assert_int_equal(run(p, n, 'c', 1, 4, "rw"), 0); /* the rule covers only r */
	assert_int_equal(run(p, n, 'c', 1, 11, "r"), 1);
	assert_int_equal(run(p, n, 'c', 1, 11, "w"), 0); /* a later deny wins */
	/* The runtime's own devices come after the config's rules, as runc
	 * appends its allowed devices: a config cannot take urandom away. */
	assert_int_equal(run(p, n, 'c', 1, 9, "r"), 1);
	assert_int_equal(run(p, n, 'c', 10, 1, "rw"), 1);
	/* As on v1, a deny takes access away only from the exception of
	 * exactly that device: it does not carve 10:229 out of 10:*. */
	assert_int_equal(run(p, n, 'c', 10, 229, "rw"), 1);
	assert_int_equal(run(p, n, 'c', 1, 9, "m"), 1);	 /* c *:* m still allows mknod */
	assert_int_equal(run(p, n, 'b', 10, 1, "r"), 0); /* type matters */
	free(p);
}

/* After an allow-all reset, denies are exceptions: any overlap denies. */
static void test_allow_default_with_denies(void **state)
{
	const struct scute_device_rule rules[] = {
		{ true, 'a', -1, -1, "rwm" },
		{ false, 'c', 1, 4, "rw" },
		{ false, 'a', 8, -1, "w" }, /* "a" other than a reset: c and b */
	};
	size_t n;
	struct bpf_insn *p = program(rules, 3, &n);

	(void)state;
	assert_int_equal(run(p, n, 'c', 1, 4, "r"), 0);
	assert_int_equal(run(p, n, 'c', 1, 4, "m"), 1);
	assert_int_equal(run(p, n, 'c', 1, 3, "rw"), 1);
	assert_int_equal(run(p, n, 'b', 8, 1, "r"), 1);
	assert_int_equal(run(p, n, 'b', 8, 1, "rw"), 0);
	assert_int_equal(run(p, n, 'c', 8, 1, "w"), 0);
	free(p);
}

/* A deny-all in the config (Docker sends one first) resets the rules
 * before it; the runtime's own devices still follow. */
static void test_deny_all_resets(void **state)
{
	const struct scute_device_rule rules[] = {
		{ true, 'c', 1, 4, "r" },
		{ false, 'a', -1, -1, "rwm" },
		{ true, 'c', 1, 11, "r" },
	};
	size_t n;
	struct bpf_insn *p = program(rules, 3, &n);

	(void)state;
	assert_int_equal(run(p, n, 'c', 1, 4, "r"), 0);
	assert_int_equal(run(p, n, 'c', 1, 11, "r"), 1);
	assert_int_equal(run(p, n, 'c', 1, 7, "rw"), 1); /* full, the runtime's */
	assert_int_equal(run(p, n, 'c', 1, 7, "m"), 1);
	free(p);
}

static void test_allow_all(void **state)
{
	const struct scute_device_rule rules[] = { { true, 'a', -1, -1, "rwm" } };
	size_t n;
	struct bpf_insn *p = program(rules, 1, &n);

	(void)state;
	assert_int_equal(run(p, n, 'b', 8, 0, "rw"), 1);
	assert_int_equal(run(p, n, 'c', 1, 4, "rwm"), 1);
	free(p);
}

/* As root with a cgroup2 mount: the kernel loads the program, and a child
 * in the cgroup may open /dev/null but not /dev/kmsg until a rule allows it. */
static int open_in_cgroup(const char *dir, const char *dev)
{
	char procs[4200];
	pid_t pid;
	int status;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	pid = fork();
	if (pid == 0) {
		int fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(2);
		close(fd);
		fd = open(dev, O_RDONLY);
		_exit(fd >= 0 ? 0 : errno == EPERM ? 1 : 3);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

static void test_kernel_enforces(void **state)
{
	const char *roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	const struct scute_device_rule rules[] = { { true, 'c', 1, 11, "r" } };
	struct scute_resources res = { 0 };
	struct scute_cgroup_dir d = { .v2 = true };
	struct scute_err err;
	char dir[256], probe[300];

	(void)state;
	dir[0] = '\0';
	for (size_t i = 0; i < 2 && !dir[0]; i++) {
		snprintf(probe, sizeof(probe), "%s/cgroup.procs", roots[i]);
		if (access(probe, W_OK) == 0)
			snprintf(dir, sizeof(dir), "%s/scute-unit-%d", roots[i], getpid());
	}
	if (!dir[0] || geteuid() != 0 || access("/dev/kmsg", R_OK) != 0)
		skip();
	assert_int_equal(mkdir(dir, 0755), 0);
	d.path = dir;
	int rc = scute_cgroup_v2_devices(&d, &res, &err);
	int null_rc = open_in_cgroup(dir, "/dev/null"), kmsg_rc = open_in_cgroup(dir, "/dev/kmsg");
	/* Replacing the program: a rule now allows /dev/kmsg. */
	res.devices = (struct scute_device_rule *)rules;
	res.n_devices = 1;
	int rc2 = scute_cgroup_v2_devices(&d, &res, &err);
	int kmsg_again = open_in_cgroup(dir, "/dev/kmsg");
	rmdir(dir);
	if (rc < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(null_rc, 0);
	assert_int_equal(kmsg_rc, 1);
	assert_int_equal(rc2, 0);
	assert_int_equal(kmsg_again, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_set),
		cmocka_unit_test(test_config_rules_in_order),
		cmocka_unit_test(test_deny_all_resets),
		cmocka_unit_test(test_allow_all),
		cmocka_unit_test(test_allow_default_with_denies),
		cmocka_unit_test(test_kernel_enforces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
