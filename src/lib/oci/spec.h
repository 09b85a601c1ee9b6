/* The OCI runtime-spec config model as libscute enforces it.
 *
 * scute_spec_load() parses and validates the whole config.json before the
 * runtime creates anything: every field is checked here, so that a bad
 * config fails before a state directory, cgroup or process exists. */
#ifndef SCUTE_SPEC_H
#define SCUTE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "hooks.h"
#include "scute.h"

typedef struct json_t json_t;

enum scute_ns_type {
	SCUTE_NS_PID,
	SCUTE_NS_NET,
	SCUTE_NS_MNT,
	SCUTE_NS_IPC,
	SCUTE_NS_UTS,
	SCUTE_NS_USER,
	SCUTE_NS_CGROUP,
	SCUTE_NS_TIME,
	SCUTE_NS_COUNT
};

struct scute_namespace {
	bool present;
	char *path; /* join this namespace instead of creating one */
};

struct scute_idmap {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

struct scute_mount {
	char *destination;
	char *type;
	char *source;
	bool bind;	      /* bind or rbind */
	bool recursive;	      /* rbind */
	uint64_t attr_set;    /* MOUNT_ATTR_* to set */
	uint64_t attr_clr;    /* MOUNT_ATTR_* to clear */
	uint64_t propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, 0 = leave */
	bool propagation_recursive;
	bool tmpcopyup;	   /* tmpfs: start with the files under the target (runc's extension) */
	char **fs_options; /* filesystem options for fsconfig: "key" or "key=value" */
	size_t n_fs_options;
};

struct scute_device {
	char *path;
	char type; /* 'c', 'b', 'p' ('u' is taken as 'c') */
	int64_t major, minor;
	bool has_mode, has_uid, has_gid;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

struct scute_rlimit {
	int resource;
	uint64_t soft, hard;
};

struct scute_sysctl {
	char *key;
	char *value;
};

enum scute_cap_set {
	SCUTE_CAP_BOUNDING,
	SCUTE_CAP_EFFECTIVE,
	SCUTE_CAP_INHERITABLE,
	SCUTE_CAP_PERMITTED,
	SCUTE_CAP_AMBIENT,
	SCUTE_CAP_SET_COUNT
};

/* One linux.resources.devices rule; -1 major/minor is the wildcard. */
struct scute_device_rule {
	bool allow;
	char type; /* 'a', 'c' or 'b' */
	int64_t major, minor;
	char access[4]; /* subset of "rwm" */
};

struct scute_throttle {
	int kind;
	int64_t major, minor;
	uint64_t rate;
};

struct scute_weight_device {
	int64_t major, minor;
	unsigned int weight, leaf_weight;
};

struct scute_hugepage_limit {
	char page_size[16];
	uint64_t limit;
};

struct scute_net_priority {
	char name[16]; /* IFNAMSIZ */
	uint32_t priority;
};

struct scute_rdma_limit {
	char name[64];
	bool has_handles, has_objects;
	uint32_t handles, objects;
};

struct scute_resources {
	bool update; /* an update: device rules only when given */
	bool has_devices;
	struct scute_device_rule *devices;
	size_t n_devices;
	bool has_memory_limit;
	int64_t memory_limit;
	bool has_cpu_shares, has_cpu_quota, has_cpu_period;
	uint64_t cpu_shares;
	int64_t cpu_quota;
	uint64_t cpu_period;
	bool has_pids_limit;
	int64_t pids_limit;
	bool has_kernel_tcp, check_before_update;
	int64_t kernel_tcp;
	bool has_memory_reservation, has_memory_swap, has_memory_swappiness;
	int64_t memory_reservation, memory_swap; /* swap: memory + swap, as v1 counts */
	int memory_swappiness;
	bool disable_oom_killer;
	char *cpus, *mems; /* cpuset lists */
	bool has_cpu_burst, has_cpu_rt_runtime, has_cpu_rt_period, has_cpu_idle;
	uint64_t cpu_burst, cpu_rt_period;
	int64_t cpu_rt_runtime, cpu_idle;
	bool has_blkio_weight;
	unsigned int blkio_weight; /* 10..1000 */
	/* blockIO.throttle*Device: kind 0..3 = read bps, write bps, read iops,
	 * write iops (the order of both the v1 files and v2's io.max keys). */
	struct scute_throttle *throttles;
	size_t n_throttles;
	bool has_blkio_leaf_weight;
	unsigned int blkio_leaf_weight;
	/* blockIO.weightDevice: per-device weights (0 = not given). */
	struct scute_weight_device *weight_devices;
	size_t n_weight_devices;
	/* hugepageLimits: page size as the cgroup files name it ("2MB"). */
	struct scute_hugepage_limit *hugepages;
	size_t n_hugepages;
	/* network: net_cls class id and net_prio priorities (cgroup v1). */
	bool has_net_class_id;
	uint32_t net_class_id;
	struct scute_net_priority *net_priorities;
	size_t n_net_priorities;
	/* rdma: per-device handle and object limits. */
	struct scute_rdma_limit *rdma;
	size_t n_rdma;
	char **unified; /* key, value, key, value, ... (v2 files by name) */
	size_t n_unified;
};

struct scute_landlock;

struct scute_process {
	bool terminal;
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	char *cwd;
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *additional_gids;
	size_t n_additional_gids;
	uint64_t caps[SCUTE_CAP_SET_COUNT];
	struct scute_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
	unsigned short console_height, console_width; /* 0: not given */
	char *apparmor_profile;			      /* NULL: none */
	char *selinux_label;			      /* NULL or "": none */
	struct scute_landlock *landlock;	      /* NULL: none (landlock.h) */
};

/* linux.seccomp, as parsed: actions are libseccomp's SCMP_ACT_* values
 * (with the errno or trace number folded in), arches SCMP_ARCH_* tokens. */
struct scute_seccomp_arg {
	unsigned int index;
	uint64_t value, value_two;
	int op; /* enum scmp_compare */
};

struct scute_seccomp_rule {
	char **names;
	size_t n_names;
	uint32_t action;
	struct scute_seccomp_arg args[6];
	size_t n_args;
};

struct scute_seccomp {
	uint32_t default_action;
	uint32_t *arches;
	size_t n_arches;
	unsigned int flags; /* SECCOMP_FILTER_FLAG_* */
	char *listener_path;
	char *listener_metadata;
	struct scute_seccomp_rule *rules;
	size_t n_rules;
	bool uses_notify; /* some action is SCMP_ACT_NOTIFY */
	char *canonical;  /* the section as compact JSON, for the filter cache */
};

struct scute_spec {
	json_t *json; /* the parsed document (annotations are read from it) */
	char *text;   /* the file as read, by scute_spec_load (kept for exec) */
	size_t text_len;
	char *bundle;	 /* absolute bundle directory */
	char *root_path; /* absolute rootfs path */
	bool root_readonly;
	char *hostname;
	char *domainname;
	struct scute_process process;
	struct scute_mount *mounts;
	size_t n_mounts;
	struct scute_namespace ns[SCUTE_NS_COUNT];
	struct scute_idmap *uid_maps, *gid_maps;
	size_t n_uid_maps, n_gid_maps;
	struct scute_device *devices;
	size_t n_devices;
	char *cgroups_path;
	char *mount_label; /* SELinux context of new filesystems; NULL or "": none */
	struct scute_resources resources;
	uint64_t rootfs_propagation; /* MS_* | MS_REC */
	char **masked_paths;
	size_t n_masked_paths;
	char **readonly_paths;
	size_t n_readonly_paths;
	struct scute_sysctl *sysctls;
	size_t n_sysctls;
	struct scute_seccomp *seccomp; /* NULL: no filter */
	struct scute_hooks hooks;
	bool has_time_offsets;
	int64_t monotonic_secs, boottime_secs;
	uint32_t monotonic_nsecs, boottime_nsecs;
};

/* Parse BUNDLE/config.json. Errors name the file and the JSON path. */
int scute_spec_load(const char *bundle, struct scute_spec **out, struct scute_err *err);
/* Parse a config from a string (used by the unit tests and fuzzers);
 * `origin` names the document in error messages. */
int scute_spec_parse(const char *text, const char *origin, const char *bundle,
		     struct scute_spec **out, struct scute_err *err);
void scute_spec_free(struct scute_spec *spec);
/* A process object on its own (exec --process), checked as config.json's. */
int scute_spec_parse_process(json_t *process, const char *origin, struct scute_process *p,
			     struct scute_err *err);
void scute_process_free(struct scute_process *p);

const char *scute_ns_name(enum scute_ns_type type);
/* Parse a linux.seccomp object (spec_seccomp.c); errors name `origin`. */
int scute_seccomp_parse(json_t *obj, const char *origin, struct scute_seccomp **out,
			struct scute_err *err);
void scute_seccomp_free(struct scute_seccomp *sc);

void scute_resources_free(struct scute_resources *r);
/* A linux.resources object on its own (the update verb's input). */
int scute_resources_parse(json_t *res, const char *origin, struct scute_resources *r,
			  struct scute_err *err);

/* The i-th mount option this build understands, NULL past the end. */
const char *scute_mount_option_name(size_t i);

int scute_ns_clone_flag(enum scute_ns_type type);

#endif
