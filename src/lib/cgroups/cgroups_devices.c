/* Device rules: the default set every container gets, written as v1
 * devices.allow/deny lines or compiled into a cgroup v2 eBPF device program
 * (BPF_PROG_TYPE_CGROUP_DEVICE) that enforces the same rules. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_limits.h"
#include "cleanup.h"
#include "log.h"

/* Rules start from deny-all; then the config's rules; then the devices
 * every container gets (those the runtime itself creates in /dev), last so
 * that a config's own deny-all (Docker sends one) cannot take them away,
 * as runc appends its allowed devices. */
static const struct scute_device_rule deny_all = { false, 'a', -1, -1, "rwm" };
static const struct scute_device_rule default_rules[] = {
	{ true, 'c', 1, 3, "rwm" },    /* null */
	{ true, 'c', 1, 5, "rwm" },    /* zero */
	{ true, 'c', 1, 7, "rwm" },    /* full */
	{ true, 'c', 1, 8, "rwm" },    /* random */
	{ true, 'c', 1, 9, "rwm" },    /* urandom */
	{ true, 'c', 5, 0, "rwm" },    /* tty */
	{ true, 'c', 5, 1, "rwm" },    /* console */
	{ true, 'c', 5, 2, "rwm" },    /* ptmx */
	{ true, 'c', 136, -1, "rwm" }, /* pts */
	/* Making nodes (CAP_MKNOD decides who may) but not using them: the
	 * runtime makes linux.devices nodes from inside the cgroup. */
	{ true, 'c', -1, -1, "m" },
	{ true, 'b', -1, -1, "m" },
};
#define N_DEFAULT_RULES (sizeof(default_rules) / sizeof(default_rules[0]))
#define N_RULES(r) (1 + (r)->n_devices + N_DEFAULT_RULES)

/* Rule i of the whole list; *config_index is its place in the config's
 * list, or -1 for the runtime's own. */
static const struct scute_device_rule *rule_at(const struct scute_resources *r, size_t i,
					       long *config_index)
{
	*config_index = -1;
	if (i == 0)
		return &deny_all;
	if (i <= r->n_devices) {
		*config_index = (long)i - 1;
		return &r->devices[i - 1];
	}
	return &default_rules[i - 1 - r->n_devices];
}

/* "a" for every device and access: v1 resets to allow- or deny-all. */
static bool is_reset(const struct scute_device_rule *r)
{
	return r->type == 'a' && r->major < 0 && r->minor < 0 && strspn(r->access, "rwm") == 3 &&
	       strchr(r->access, 'r') && strchr(r->access, 'w') && strchr(r->access, 'm');
}

/* A v1 file takes "a" only as a reset; any other rule of type "a" is
 * written as the same rule for "c" and for "b". */
static void format_rule(const struct scute_device_rule *r, char type, char *buf, size_t len)
{
	char maj[16] = "*", min[16] = "*";

	if (r->major >= 0)
		snprintf(maj, sizeof(maj), "%lld", (long long)r->major);
	if (r->minor >= 0)
		snprintf(min, sizeof(min), "%lld", (long long)r->minor);
	snprintf(buf, len, "%c %s:%s %s", type, maj, min, r->access);
}

/* One rule to devices.allow or devices.deny, each opened once for all the
 * rules (a dozen by default: an open per rule was a path walk each). */
static int put_rule(const struct scute_cgroup_dir *d, bool allow, int fds[2], const char *rule,
		    struct scute_err *err)
{
	const char *file = allow ? "devices.allow" : "devices.deny";
	char path[PATH_MAX + 32];
	size_t len = strlen(rule);

	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	if (fds[allow] < 0)
		fds[allow] = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fds[allow] < 0)
		return scute_err_sys(err, "open %s", path);
	if (write(fds[allow], rule, len) != (ssize_t)len)
		return scute_err_sys(err, "write \"%s\" to %s", rule, path);
	return 0;
}

int scute_cgroup_v1_devices(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			    struct scute_err *err)
{
	auto_fd int deny = -1;
	auto_fd int allow = -1;
	char rule[64];

	for (size_t i = 0; i < N_RULES(r); i++) {
		long index;
		const struct scute_device_rule *dr = rule_at(r, i, &index);
		int fds[2] = { deny, allow }, rc = 0;
		if (is_reset(dr)) {
			rc = put_rule(d, dr->allow, fds, "a", err);
		} else {
			for (const char *t = dr->type == 'a' ? "cb" : &dr->type; rc == 0 && *t;
			     t++) {
				format_rule(dr, *t, rule, sizeof(rule));
				rc = put_rule(d, dr->allow, fds, rule, err);
				if (dr->type != 'a')
					break;
			}
		}
		deny = fds[0];
		allow = fds[1];
		if (rc < 0)
			return index < 0 ? -1
					 : scute_err_prefix(err, "linux.resources.devices[%ld]",
							    index);
	}
	return 0;
}

/* ---- cgroup v2: the same rules as an eBPF program ----
 *
 * A container must see the same devices on v1 and v2 hosts, so the rules
 * are first run through the v1 kernel's own bookkeeping: a default
 * (allow or deny, set by a reset) and a list of exceptions, where a rule
 * that disagrees with the default adds its access to the exception of
 * exactly its type and numbers, and a rule that agrees takes its access
 * away from that exception (a deny does not carve a device out of a
 * wildcard allow, as on v1). The program then checks the exceptions:
 * with deny by default, one exception must cover the whole access asked
 * for; with allow by default, any overlap with an exception denies. */

struct exception {
	char type; /* 'c' or 'b' */
	int64_t major, minor;
	int access; /* BPF_DEVCG_ACC_* bits */
};

struct device_state {
	bool allow_default;
	struct exception *ex;
	size_t n, cap;
};

static int access_bits(const char *access)
{
	int bits = 0;

	bits |= strchr(access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0;
	bits |= strchr(access, 'r') ? BPF_DEVCG_ACC_READ : 0;
	bits |= strchr(access, 'w') ? BPF_DEVCG_ACC_WRITE : 0;
	return bits;
}

static struct exception *find_exception(struct device_state *s, char type, int64_t major,
					int64_t minor)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ex[i].type == type && s->ex[i].major == major && s->ex[i].minor == minor)
			return &s->ex[i];
	return NULL;
}

static int add_exception(struct device_state *s, char type, const struct scute_device_rule *r)
{
	struct exception *e = find_exception(s, type, r->major, r->minor);

	if (e) {
		e->access |= access_bits(r->access);
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct exception *grown = realloc(s->ex, cap * sizeof(*grown));
		if (!grown)
			return -1;
		s->ex = grown;
		s->cap = cap;
	}
	s->ex[s->n++] = (struct exception){ type, r->major, r->minor, access_bits(r->access) };
	return 0;
}

static void remove_exception(struct device_state *s, char type, const struct scute_device_rule *r)
{
	struct exception *e = find_exception(s, type, r->major, r->minor);

	if (!e)
		return;
	e->access &= ~access_bits(r->access);
	if (!e->access)
		*e = s->ex[--s->n];
}

static int apply_rule(struct device_state *s, const struct scute_device_rule *r)
{
	if (is_reset(r)) {
		s->allow_default = r->allow;
		s->n = 0;
		return 0;
	}
	for (const char *t = r->type == 'a' ? "cb" : &r->type; *t; t++) {
		if (r->allow != s->allow_default) {
			if (add_exception(s, *t, r) < 0)
				return -1;
		} else {
			remove_exception(s, *t, r);
		}
		if (r->type != 'a')
			break;
	}
	return 0;
}

#define MAX_INSNS 8192

struct program {
	struct bpf_insn insns[MAX_INSNS];
	size_t n;
};

static void emit(struct program *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
		 int32_t imm)
{
	/* The register fields are 4-bit bit-fields; the registers used here
	 * (r0-r5) fit, which gcc's -Wconversion cannot see. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
	if (p->n < MAX_INSNS)
		p->insns[p->n] = (struct bpf_insn){ .code = code,
						    .dst_reg = dst & 0xf,
						    .src_reg = src & 0xf,
						    .off = off,
						    .imm = imm };
#pragma GCC diagnostic pop
	p->n++;
}

/* Registers after the prologue: r2 requested access, r3 type, r4 major,
 * r5 minor; r0 is scratch and the verdict. */
enum { R0, R1, R2, R3, R4, R5 };

/* One exception: jumps to the next (patched once the block's length is
 * known) when it does not apply, else returns the opposite of the
 * default. Its type test means every block can fall through, so no
 * instruction is unreachable (the verifier refuses dead code). */
static void emit_exception(struct program *p, const struct exception *e, bool allow_default)
{
	size_t jumps[4];
	int n_jumps = 0;

	jumps[n_jumps++] = p->n;
	emit(p, BPF_JMP | BPF_JNE | BPF_K, R3, 0, 0,
	     e->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	if (e->major >= 0) {
		jumps[n_jumps++] = p->n;
		emit(p, BPF_JMP | BPF_JNE | BPF_K, R4, 0, 0, (int32_t)e->major);
	}
	if (e->minor >= 0) {
		jumps[n_jumps++] = p->n;
		emit(p, BPF_JMP | BPF_JNE | BPF_K, R5, 0, 0, (int32_t)e->minor);
	}
	if (e->access != 7) {
		/* Allowing: nothing asked for outside the exception's access.
		 * Denying: something asked for inside it. */
		emit(p, BPF_ALU64 | BPF_MOV | BPF_X, R0, R2, 0, 0);
		emit(p, BPF_ALU64 | BPF_AND | BPF_K, R0, 0, 0,
		     allow_default ? e->access : 7 & ~e->access);
		jumps[n_jumps++] = p->n;
		emit(p, BPF_JMP | (allow_default ? BPF_JEQ : BPF_JNE) | BPF_K, R0, 0, 0, 0);
	}
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, allow_default ? 0 : 1);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (int i = 0; i < n_jumps && p->n <= MAX_INSNS; i++)
		p->insns[jumps[i]].off = (int16_t)(p->n - jumps[i] - 1);
}

int scute_device_program(const struct scute_resources *r, struct bpf_insn **insns, size_t *n)
{
	struct device_state s = { 0 };
	struct program *p = calloc(1, sizeof(*p));
	int rc = -1;

	if (!p)
		return -1;
	for (size_t i = 0; i < N_RULES(r); i++) {
		long index;
		if (apply_rule(&s, rule_at(r, i, &index)) < 0)
			goto out;
	}
	emit(p, BPF_LDX | BPF_W | BPF_MEM, R2, R1, 0, 0); /* access_type */
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, R3, R2, 0, 0);
	emit(p, BPF_ALU64 | BPF_AND | BPF_K, R3, 0, 0, 0xffff);
	emit(p, BPF_ALU64 | BPF_RSH | BPF_K, R2, 0, 0, 16);
	emit(p, BPF_LDX | BPF_W | BPF_MEM, R4, R1, 4, 0); /* major */
	emit(p, BPF_LDX | BPF_W | BPF_MEM, R5, R1, 8, 0); /* minor */
	for (size_t i = 0; i < s.n; i++)
		emit_exception(p, &s.ex[i], s.allow_default);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, s.allow_default ? 1 : 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	if (p->n > MAX_INSNS) {
		errno = E2BIG;
		goto out;
	}
	*n = p->n;
	*insns = malloc(p->n * sizeof(**insns));
	if (*insns) {
		memcpy(*insns, p->insns, p->n * sizeof(**insns));
		rc = 0;
	}
out:
	free(s.ex);
	free(p);
	return rc;
}

#define PROGRAM_NAME "scute_devices"

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load_program(const struct scute_resources *r, struct scute_err *err)
{
	static char log[4096];
	struct bpf_insn *insns;
	union bpf_attr a;
	size_t n;
	int fd;

	if (scute_device_program(r, &insns, &n) < 0)
		return scute_err_sys(err, "linux.resources.devices: build the device program");
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t) "Apache-2.0";
	snprintf(a.prog_name, sizeof(a.prog_name), "%s", PROGRAM_NAME);
	fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0 && errno == EACCES) {
		/* Load again with the verifier's log, to say why. */
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = sizeof(log);
		a.log_level = 1;
		fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
		scute_debug("device program verifier log:\n%s", log);
	}
	free(insns);
	if (fd < 0)
		return scute_err_sys(err, "linux.resources.devices: load the cgroup v2 device "
					  "program (BPF_PROG_LOAD)");
	return fd;
}

/* The ids of the device programs attached to the directory by scute. */
static int our_programs(int dirfd, uint32_t *ids, uint32_t max, struct scute_err *err)
{
	union bpf_attr a;
	uint32_t found = 0;

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)dirfd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uint64_t)(uintptr_t)ids;
	a.query.prog_cnt = max;
	if (sys_bpf(BPF_PROG_QUERY, &a) < 0)
		return scute_err_sys(err, "query the cgroup's device programs");
	for (uint32_t i = 0; i < a.query.prog_cnt && i < max; i++) {
		struct bpf_prog_info info;
		union bpf_attr q;
		auto_fd int fd = -1;
		memset(&q, 0, sizeof(q));
		q.prog_id = ids[i];
		fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &q);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		memset(&q, 0, sizeof(q));
		q.info.bpf_fd = (uint32_t)fd;
		q.info.info_len = sizeof(info);
		q.info.info = (uint64_t)(uintptr_t)&info;
		if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &q) == 0 &&
		    strcmp(info.name, PROGRAM_NAME) == 0)
			ids[found++] = ids[i];
	}
	return (int)found;
}

static void detach(int dirfd, uint32_t id)
{
	union bpf_attr a;
	auto_fd int fd = -1;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dirfd;
	a.attach_bpf_fd = (uint32_t)fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	if (sys_bpf(BPF_PROG_DETACH, &a) < 0)
		scute_warn("detach the old device program %u: %s", id, strerror(errno));
}

int scute_cgroup_v2_devices(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			    struct scute_err *err)
{
	uint32_t old[64];
	union bpf_attr a;
	auto_fd int dirfd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	auto_fd int prog = -1;
	int n_old;

	if (dirfd < 0)
		return scute_err_sys(err, "open cgroup %s", d->path);
	n_old = our_programs(dirfd, old, 64, err);
	if (n_old < 0 || (prog = load_program(r, err)) < 0)
		return -1;
	/* The new program first, then the old ones go: in between both
	 * apply, which can only deny more. */
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dirfd;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &a) < 0)
		return scute_err_sys(
			err, "linux.resources.devices: attach the device program to %s", d->path);
	for (int i = 0; i < n_old; i++)
		detach(dirfd, old[i]);
	scute_debug("device program attached to %s, %d earlier one(s) detached", d->path, n_old);
	return 0;
}
