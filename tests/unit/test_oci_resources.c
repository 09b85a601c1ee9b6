/* Unit tests of docker's resource fields as OCI linux.resources
 * (src/engine/containers/oci_resources.c): each field's conversion,
 * dockerd's zero values as "not set", its checks (each naming the field
 * and value), and that what comes out is a linux.resources libscute
 * accepts; and of update's merge (control.h): zeroes leave a value, the
 * conflicts dockerd refuses, restart policies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "control.h"
#include "oci/spec.h"
#include "oci_resources.h"

/* The conversion of the JSON text hc, compared with the JSON text want. */
static void converts(const char *hc, const char *want)
{
	struct scute_err err = { 0 };
	json_t *in = json_loads(hc, 0, NULL), *expect = json_loads(want, 0, NULL), *out;
	struct scute_resources r;

	assert_non_null(in);
	assert_non_null(expect);
	out = scute_oci_resources_from_host_config(in, &err);
	if (!out)
		fail_msg("%s: %s", hc, err.msg);
	if (!json_equal(out, expect)) {
		char *got = json_dumps(out, JSON_SORT_KEYS);

		fail_msg("%s: got %s, want %s", hc, got, want);
	}
	/* libscute reads it as linux.resources */
	if (scute_resources_parse(out, "test", &r, &err) < 0)
		fail_msg("%s: libscute refused %s", hc, err.msg);
	scute_resources_free(&r);
	json_decref(in);
	json_decref(expect);
	json_decref(out);
}

/* The conversion of hc fails with EINVAL saying `want`. */
static void refuses(const char *hc, const char *want)
{
	struct scute_err err = { 0 };
	json_t *in = json_loads(hc, 0, NULL);
	json_t *out;

	assert_non_null(in);
	out = scute_oci_resources_from_host_config(in, &err);
	if (out)
		fail_msg("%s: accepted", hc);
	assert_int_equal(err.code, EINVAL);
	if (!strstr(err.msg, want))
		fail_msg("%s: \"%s\" does not say \"%s\"", hc, err.msg, want);
	json_decref(in);
}

static void test_nothing_set(void **state)
{
	(void)state;
	converts("{}", "{}");
	/* dockerd's HostConfig with every resource at its zero value */
	converts("{\"NanoCpus\": 0, \"CpuShares\": 0, \"CpuPeriod\": 0, \"CpuQuota\": 0,"
		 " \"CpusetCpus\": \"\", \"CpusetMems\": \"\", \"Memory\": 0, \"MemorySwap\": 0,"
		 " \"MemoryReservation\": 0, \"OomKillDisable\": false, \"PidsLimit\": null,"
		 " \"BlkioWeight\": 0, \"AutoRemove\": true, \"NetworkMode\": \"none\"}",
		 "{}");
	converts("{\"OomKillDisable\": null}", "{}");
}

static void test_cpu(void **state)
{
	(void)state;
	/* --cpus 1.5: period 100 ms, quota 150 ms */
	converts("{\"NanoCpus\": 1500000000}",
		 "{\"cpu\": {\"period\": 100000, \"quota\": 150000}}");
	/* 0.01 CPU, the least: 1 ms */
	converts("{\"NanoCpus\": 10000000}", "{\"cpu\": {\"period\": 100000, \"quota\": 1000}}");
	/* NanoCpus * period would overflow 64 bits */
	converts("{\"NanoCpus\": 9000000000000000000}",
		 "{\"cpu\": {\"period\": 100000, \"quota\": 900000000000000}}");
	/* a quota truncated as dockerd's integer division does */
	converts("{\"NanoCpus\": 12345678}", "{\"cpu\": {\"period\": 100000, \"quota\": 1234}}");
	converts("{\"CpuShares\": 512, \"CpuPeriod\": 50000, \"CpuQuota\": 25000}",
		 "{\"cpu\": {\"shares\": 512, \"period\": 50000, \"quota\": 25000}}");
	converts("{\"CpuQuota\": -1}", "{\"cpu\": {\"quota\": -1}}");
	converts("{\"CpusetCpus\": \"0-1\", \"CpusetMems\": \"0\", \"CpuShares\": 2}",
		 "{\"cpu\": {\"cpus\": \"0-1\", \"mems\": \"0\", \"shares\": 2}}");
}

static void test_cpu_refused(void **state)
{
	(void)state;
	refuses("{\"NanoCpus\": 9999999}", "HostConfig.NanoCpus: 9999999: the range of CPUs");
	refuses("{\"NanoCpus\": -1}", "HostConfig.NanoCpus: -1");
	refuses("{\"NanoCpus\": 1000000000, \"CpuPeriod\": 100000}",
		"Nano CPUs and CPU Period cannot both be set");
	refuses("{\"NanoCpus\": 1000000000, \"CpuQuota\": 50000}",
		"Nano CPUs and CPU Quota cannot both be set");
	refuses("{\"CpuShares\": -2}", "HostConfig.CpuShares: -2: shares cannot be negative");
	refuses("{\"CpuPeriod\": 999}", "HostConfig.CpuPeriod: 999");
	refuses("{\"CpuPeriod\": 1000001}", "HostConfig.CpuPeriod: 1000001");
	refuses("{\"CpuQuota\": 999}", "HostConfig.CpuQuota: 999");
	refuses("{\"CpuQuota\": -2}", "HostConfig.CpuQuota: -2");
	refuses("{\"CpusetCpus\": \"0-x\"}", "HostConfig.CpusetCpus: \"0-x\"");
	refuses("{\"CpusetMems\": \"3-1\"}", "HostConfig.CpusetMems: \"3-1\"");
	refuses("{\"CpuShares\": \"512\"}", "HostConfig.CpuShares: expected an integer");
	refuses("{\"CpusetCpus\": 1}", "HostConfig.CpusetCpus: expected a string");
}

static void test_memory(void **state)
{
	(void)state;
	converts(
		"{\"Memory\": 67108864, \"MemorySwap\": 134217728, \"MemoryReservation\": "
		"33554432, \"OomKillDisable\": true}",
		"{\"memory\": {\"limit\": 67108864, \"swap\": 134217728, \"reservation\": 33554432,"
		" \"disableOOMKiller\": true}}");
	converts("{\"Memory\": 67108864, \"MemorySwap\": -1}",
		 "{\"memory\": {\"limit\": 67108864, \"swap\": -1}}");
	/* memory and swap equal: no swap at all */
	converts("{\"Memory\": 67108864, \"MemorySwap\": 67108864}",
		 "{\"memory\": {\"limit\": 67108864, \"swap\": 67108864}}");
	converts("{\"MemoryReservation\": 6291456}", "{\"memory\": {\"reservation\": 6291456}}");
	converts("{\"OomKillDisable\": true}", "{\"memory\": {\"disableOOMKiller\": true}}");
}

static void test_memory_refused(void **state)
{
	(void)state;
	refuses("{\"Memory\": 1024}", "HostConfig.Memory: 1024: the minimum memory limit is 6MB");
	refuses("{\"Memory\": -1}", "HostConfig.Memory: -1");
	refuses("{\"MemorySwap\": 134217728}", "HostConfig.MemorySwap: 134217728: a memory and");
	refuses("{\"Memory\": 67108864, \"MemorySwap\": 33554432}",
		"HostConfig.MemorySwap: 33554432: the memory and swap limit must not be below");
	refuses("{\"Memory\": 67108864, \"MemorySwap\": -2}", "HostConfig.MemorySwap: -2");
	refuses("{\"MemoryReservation\": 4096}", "HostConfig.MemoryReservation: 4096");
	refuses("{\"Memory\": 33554432, \"MemoryReservation\": 67108864}",
		"HostConfig.MemoryReservation: 67108864: the memory limit must not be below");
	refuses("{\"Memory\": 1.5}", "HostConfig.Memory: expected an integer");
	refuses("{\"OomKillDisable\": \"yes\"}", "HostConfig.OomKillDisable: expected true");
}

static void test_pids_and_blkio(void **state)
{
	(void)state;
	converts("{\"PidsLimit\": 50}", "{\"pids\": {\"limit\": 50}}");
	/* 0 and below: no limit, as dockerd turns them into -1 */
	converts("{\"PidsLimit\": 0}", "{\"pids\": {\"limit\": -1}}");
	converts("{\"PidsLimit\": -1}", "{\"pids\": {\"limit\": -1}}");
	converts("{\"PidsLimit\": -5}", "{\"pids\": {\"limit\": -1}}");
	converts("{\"BlkioWeight\": 300}", "{\"blockIO\": {\"weight\": 300}}");
	converts("{\"BlkioWeight\": 10}", "{\"blockIO\": {\"weight\": 10}}");
	converts("{\"BlkioWeight\": 1000}", "{\"blockIO\": {\"weight\": 1000}}");
	refuses("{\"BlkioWeight\": 9}", "HostConfig.BlkioWeight: 9: the blkio weight can be 10");
	refuses("{\"BlkioWeight\": 1001}", "HostConfig.BlkioWeight: 1001");
	refuses("{\"PidsLimit\": \"50\"}", "HostConfig.PidsLimit: expected an integer");
	refuses("[]", "HostConfig: expected a JSON object");
}

static void test_everything(void **state)
{
	(void)state;
	converts(
		"{\"NanoCpus\": 2000000000, \"CpuShares\": 1024, \"CpusetCpus\": \"0\","
		" \"Memory\": 134217728, \"MemorySwap\": 268435456, \"PidsLimit\": 100,"
		" \"BlkioWeight\": 500, \"OomKillDisable\": false}",
		"{\"cpu\": {\"shares\": 1024, \"period\": 100000, \"quota\": 200000, \"cpus\": \"0\"},"
		" \"memory\": {\"limit\": 134217728, \"swap\": 268435456},"
		" \"pids\": {\"limit\": 100}, \"blockIO\": {\"weight\": 500}}");
}

/* ---- update's merge ------------------------------------------------------------ */

static json_t *merge(const char *had, const char *changes, struct scute_err *err)
{
	json_t *h = json_loads(had, 0, NULL), *c = json_loads(changes, 0, NULL), *out;

	assert_non_null(h);
	assert_non_null(c);
	out = scute_host_config_merge_update(h, c, err);
	json_decref(h);
	json_decref(c);
	return out;
}

static void merges(const char *had, const char *changes, const char *want)
{
	struct scute_err err = { 0 };
	json_t *out = merge(had, changes, &err), *expect = json_loads(want, 0, NULL);

	if (!out)
		fail_msg("%s + %s: %s", had, changes, err.msg);
	if (!json_equal(out, expect))
		fail_msg("%s + %s: got %s", had, changes, json_dumps(out, JSON_SORT_KEYS));
	json_decref(out);
	json_decref(expect);
}

static void merge_refused(const char *had, const char *changes, const char *want)
{
	struct scute_err err = { 0 };
	json_t *out = merge(had, changes, &err);

	if (out)
		fail_msg("%s + %s: accepted", had, changes);
	assert_int_equal(err.code, EINVAL);
	if (!strstr(err.msg, want))
		fail_msg("%s + %s: \"%s\" does not say \"%s\"", had, changes, err.msg, want);
}

static void test_merge(void **state)
{
	(void)state;
	merges("{\"Memory\": 67108864, \"AutoRemove\": false}",
	       "{\"Memory\": 0, \"PidsLimit\": 50, \"CpusetCpus\": \"\", \"CpuShares\": 512}",
	       "{\"Memory\": 67108864, \"AutoRemove\": false, \"PidsLimit\": 50, \"CpuShares\": "
	       "512}");
	/* PidsLimit null leaves it, 0 sets "no limit" */
	merges("{\"PidsLimit\": 50}", "{\"PidsLimit\": null}", "{\"PidsLimit\": 50}");
	merges("{\"PidsLimit\": 50}", "{\"PidsLimit\": 0}", "{\"PidsLimit\": 0}");
	merges("{}", "{\"CpusetCpus\": \"0\", \"MemorySwap\": -1}",
	       "{\"CpusetCpus\": \"0\", \"MemorySwap\": -1}");
	/* a memory limit alone on a container without one */
	merges("{\"Memory\": 0, \"MemorySwap\": 0}", "{\"Memory\": 67108864}",
	       "{\"Memory\": 67108864, \"MemorySwap\": 0}");
	/* the docker CLI's body: every Resources field, zeroes and nulls */
	merges("{}",
	       "{\"BlkioWeight\": 0, \"Devices\": null, \"Ulimits\": null, \"KernelMemory\": 0,"
	       " \"MemorySwappiness\": null, \"OomKillDisable\": null, \"DeviceRequests\": [],"
	       " \"RestartPolicy\": {\"Name\": \"\", \"MaximumRetryCount\": 0}, \"Memory\": 0}",
	       "{}");
	merges("{\"RestartPolicy\": {\"Name\": \"no\", \"MaximumRetryCount\": 0}}",
	       "{\"RestartPolicy\": {\"Name\": \"on-failure\", \"MaximumRetryCount\": 3}}",
	       "{\"RestartPolicy\": {\"Name\": \"on-failure\", \"MaximumRetryCount\": 3}}");
	merges("{\"AutoRemove\": true}", "{\"RestartPolicy\": {\"Name\": \"no\"}}",
	       "{\"AutoRemove\": true, \"RestartPolicy\": {\"Name\": \"no\", "
	       "\"MaximumRetryCount\": 0}}");
}

static void test_merge_refused(void **state)
{
	(void)state;
	merge_refused("{\"CpuPeriod\": 50000}", "{\"NanoCpus\": 1000000000}",
		      "Nano CPUs cannot be updated as CPU Period has already been set");
	merge_refused("{\"CpuQuota\": 50000}", "{\"NanoCpus\": 1000000000}",
		      "Nano CPUs cannot be updated as CPU Quota has already been set");
	merge_refused("{\"NanoCpus\": 1000000000}", "{\"CpuPeriod\": 50000}",
		      "CPU Period cannot be updated as NanoCPUs has already been set");
	merge_refused("{\"NanoCpus\": 1000000000}", "{\"CpuQuota\": 50000}",
		      "CPU Quota cannot be updated as NanoCPUs has already been set");
	merge_refused("{\"Memory\": 67108864, \"MemorySwap\": 134217728}",
		      "{\"Memory\": 268435456}", "update the memoryswap at the same time");
	merge_refused("{}", "{\"Memory\": \"64m\"}", "update: Memory: expected an integer");
	merge_refused("{}", "{\"CpusetCpus\": 0}", "update: CpusetCpus: expected a string");
	merge_refused("{}", "{\"Privileged\": true}",
		      "update: Privileged: not a setting update can change");
	merge_refused("{}", "{\"OomKillDisable\": true}", "update: OomKillDisable");
	merge_refused("{}", "{\"RestartPolicy\": {\"Name\": \"sometimes\"}}",
		      "unknown policy 'sometimes'");
	merge_refused("{}", "{\"RestartPolicy\": {\"Name\": \"always\", \"MaximumRetryCount\": 2}}",
		      "maximum retry count can only be used with 'on-failure'");
	merge_refused("{}",
		      "{\"RestartPolicy\": {\"Name\": \"on-failure\", \"MaximumRetryCount\": -1}}",
		      "maximum retry count cannot be negative");
	merge_refused("{\"AutoRemove\": true}", "{\"RestartPolicy\": {\"Name\": \"always\"}}",
		      "AutoRemove is enabled");
	merge_refused("{}", "{\"RestartPolicy\": \"always\"}", "update: RestartPolicy: expected");
	merge_refused("{}", "[]", "update: expected a JSON object");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_set),    cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_cpu_refused),    cmocka_unit_test(test_memory),
		cmocka_unit_test(test_memory_refused), cmocka_unit_test(test_pids_and_blkio),
		cmocka_unit_test(test_everything),     cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
