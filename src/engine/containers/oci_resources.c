/* docker's resource fields → OCI linux.resources (oci_resources.h). */
#include "oci_resources.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/cleanup.h"

/* dockerd's floors (its linuxMinMemory, and the CFS bounds in us) */
#define MIN_MEMORY (6LL * 1024 * 1024)
#define CFS_MIN 1000
#define CFS_MAX 1000000
/* NanoCpus → cpu.period and quota, as dockerd: a period of 100 ms */
#define NANO_PERIOD 100000
#define NANO_MIN 10000000LL /* 0.01 CPU: a quota of 1 ms */

/* The docker values, read and type-checked once. */
struct hc_resources {
	int64_t nano_cpus, shares, period, quota, memory, swap, reservation, blkio;
	bool has_pids, oom_kill_disable;
	int64_t pids;
	const char *cpus, *mems;
};

static int bad(struct scute_err *err, const char *key, int64_t v, const char *why)
{
	return scute_err_set(err, EINVAL, "HostConfig.%s: %lld: %s", key, (long long)v, why);
}

/* An integer field; absent or null is 0 (not set). */
static int get_int(json_t *hc, const char *key, int64_t *out, bool *has, struct scute_err *err)
{
	json_t *v = json_object_get(hc, key);

	*out = 0;
	if (has)
		*has = v && !json_is_null(v);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return scute_err_set(err, EINVAL, "HostConfig.%s: expected an integer", key);
	*out = json_integer_value(v);
	return 0;
}

static int get_string(json_t *hc, const char *key, const char **out, struct scute_err *err)
{
	json_t *v = json_object_get(hc, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return scute_err_set(err, EINVAL, "HostConfig.%s: expected a string", key);
	if (*json_string_value(v) == '\0')
		return 0;
	*out = json_string_value(v);
	if (scute_parse_cpu_list(*out, err) < 0)
		return scute_err_prefix(err, "HostConfig.%s", key);
	return 0;
}

static int read_fields(json_t *hc, struct hc_resources *r, struct scute_err *err)
{
	json_t *oom = json_object_get(hc, "OomKillDisable");

	if (!json_is_object(hc))
		return scute_err_set(err, EINVAL, "HostConfig: expected a JSON object");
	if (get_int(hc, "NanoCpus", &r->nano_cpus, NULL, err) < 0 ||
	    get_int(hc, "CpuShares", &r->shares, NULL, err) < 0 ||
	    get_int(hc, "CpuPeriod", &r->period, NULL, err) < 0 ||
	    get_int(hc, "CpuQuota", &r->quota, NULL, err) < 0 ||
	    get_int(hc, "Memory", &r->memory, NULL, err) < 0 ||
	    get_int(hc, "MemorySwap", &r->swap, NULL, err) < 0 ||
	    get_int(hc, "MemoryReservation", &r->reservation, NULL, err) < 0 ||
	    get_int(hc, "BlkioWeight", &r->blkio, NULL, err) < 0 ||
	    get_int(hc, "PidsLimit", &r->pids, &r->has_pids, err) < 0 ||
	    get_string(hc, "CpusetCpus", &r->cpus, err) < 0 ||
	    get_string(hc, "CpusetMems", &r->mems, err) < 0)
		return -1;
	if (oom && !json_is_null(oom) && !json_is_boolean(oom))
		return scute_err_set(err, EINVAL,
				     "HostConfig.OomKillDisable: expected true or false");
	r->oom_kill_disable = json_is_true(oom);
	return 0;
}

static int check_cpu(const struct hc_resources *r, struct scute_err *err)
{
	if (r->nano_cpus < 0 || (r->nano_cpus > 0 && r->nano_cpus < NANO_MIN))
		return bad(err, "NanoCpus", r->nano_cpus, "the range of CPUs starts at 0.01");
	if (r->nano_cpus > 0 && r->period != 0)
		return bad(err, "NanoCpus", r->nano_cpus,
			   "conflicting options: Nano CPUs and CPU Period cannot both be set");
	if (r->nano_cpus > 0 && r->quota != 0)
		return bad(err, "NanoCpus", r->nano_cpus,
			   "conflicting options: Nano CPUs and CPU Quota cannot both be set");
	if (r->shares < 0)
		return bad(err, "CpuShares", r->shares, "shares cannot be negative");
	if (r->period != 0 && (r->period < CFS_MIN || r->period > CFS_MAX))
		return bad(err, "CpuPeriod", r->period,
			   "the CPU CFS period can be 1ms (1000) to 1s (1000000)");
	if (r->quota < -1 || (r->quota > 0 && r->quota < CFS_MIN))
		return bad(err, "CpuQuota", r->quota,
			   "the CPU CFS quota can be -1 (none) or at least 1ms (1000)");
	return 0;
}

static int check_memory(const struct hc_resources *r, struct scute_err *err)
{
	if (r->memory != 0 && r->memory < MIN_MEMORY)
		return bad(err, "Memory", r->memory, "the minimum memory limit is 6MB");
	if (r->swap < -1)
		return bad(err, "MemorySwap", r->swap, "a limit, or -1 for no limit");
	if (r->swap > 0 && r->memory == 0)
		return bad(err, "MemorySwap", r->swap,
			   "a memory and swap limit needs a memory limit (Memory)");
	if (r->swap > 0 && r->swap < r->memory)
		return bad(err, "MemorySwap", r->swap,
			   "the memory and swap limit must not be below the memory limit");
	if (r->reservation != 0 && r->reservation < MIN_MEMORY)
		return bad(err, "MemoryReservation", r->reservation,
			   "the minimum memory reservation is 6MB");
	if (r->memory > 0 && r->reservation > r->memory)
		return bad(err, "MemoryReservation", r->reservation,
			   "the memory limit must not be below the memory reservation");
	if (r->blkio != 0 && (r->blkio < 10 || r->blkio > 1000))
		return bad(err, "BlkioWeight", r->blkio, "the blkio weight can be 10 to 1000");
	return 0;
}

/* The object res[section], made on first use. */
static json_t *section(json_t *res, const char *name, json_t **obj)
{
	if (!*obj) {
		*obj = json_object();
		if (*obj && json_object_set_new(res, name, *obj) < 0)
			*obj = NULL;
	}
	return *obj;
}

static int put(json_t *res, const char *name, json_t **obj, const char *key, json_t *v)
{
	json_t *o = section(res, name, obj);

	if (!o) {
		json_decref(v);
		return -1;
	}
	return json_object_set_new(o, key, v);
}

static int build(const struct hc_resources *r, json_t *res)
{
	json_t *cpu = NULL, *mem = NULL, *pids = NULL, *bio = NULL;
	int64_t period = r->period, quota = r->quota;

	if (r->nano_cpus > 0) {
		period = NANO_PERIOD;
		/* NanoCpus * 100000 / 1e9, without the product's overflow */
		quota = r->nano_cpus / (1000000000 / NANO_PERIOD);
	}
	if ((r->shares && put(res, "cpu", &cpu, "shares", json_integer(r->shares)) < 0) ||
	    (quota && put(res, "cpu", &cpu, "quota", json_integer(quota)) < 0) ||
	    (period && put(res, "cpu", &cpu, "period", json_integer(period)) < 0) ||
	    (r->cpus && put(res, "cpu", &cpu, "cpus", json_string(r->cpus)) < 0) ||
	    (r->mems && put(res, "cpu", &cpu, "mems", json_string(r->mems)) < 0))
		return -1;
	if ((r->memory && put(res, "memory", &mem, "limit", json_integer(r->memory)) < 0) ||
	    (r->swap && put(res, "memory", &mem, "swap", json_integer(r->swap)) < 0) ||
	    (r->reservation &&
	     put(res, "memory", &mem, "reservation", json_integer(r->reservation)) < 0) ||
	    (r->oom_kill_disable && put(res, "memory", &mem, "disableOOMKiller", json_true()) < 0))
		return -1;
	if (r->has_pids &&
	    put(res, "pids", &pids, "limit", json_integer(r->pids > 0 ? r->pids : -1)) < 0)
		return -1;
	if (r->blkio && put(res, "blockIO", &bio, "weight", json_integer(r->blkio)) < 0)
		return -1;
	return 0;
}

json_t *scute_oci_resources_from_host_config(json_t *host_config, struct scute_err *err)
{
	struct hc_resources r = { 0 };
	auto_json json_t *res = NULL;

	if (read_fields(host_config, &r, err) < 0 || check_cpu(&r, err) < 0 ||
	    check_memory(&r, err) < 0)
		return NULL;
	res = json_object();
	if (!res || build(&r, res) < 0) {
		scute_err_set(err, ENOMEM, "HostConfig: resources: out of memory");
		return NULL;
	}
	return scute_take_ptr(&res);
}
