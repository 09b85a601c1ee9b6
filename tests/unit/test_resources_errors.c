/* Unit tests of linux.resources (config.json and the update verb's input)
 * and of the parser's other entry points: bad values are refused naming
 * the field, good ones land where the cgroup code reads them. Documents
 * are written with ' for ". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "landlock_rules.h"
#include "spec.h"
#include "sysctl_rules.h"
#include "spec_cases.h"

#define DOC_HEAD                                                                             \
	"{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'," \
	"'user':{'uid':0,'gid':0}},'linux':{'namespaces':[{'type':'mount'},{'type':'uts'}]"
#define RES(x) DOC_HEAD ",'resources':{" x "}}}"

static void test_device_rules(void **state)
{
	static const struct bad_case cases[] = {
		{ DOC_HEAD ",'resources':[]}}", "linux.resources: expected an object" },
		{ RES("'devices':{}"), "linux.resources.devices: expected an array" },
		{ RES("'devices':[5]"), "linux.resources.devices[0]: expected an object" },
		{ RES("'devices':[{'access':'r'}]"),
		  "linux.resources.devices[0]: allow: required, true or false" },
		{ RES("'devices':[{'allow':true,'major':'8'}]"),
		  "linux.resources.devices[0].major: expected an integer" },
		{ RES("'devices':[{'allow':true,'minor':1048576}]"),
		  "linux.resources.devices[0].minor: 1048576 is out of range" },
		{ RES("'devices':[{'allow':true,'type':'x'}]"),
		  "linux.resources.devices[0]: type: \"x\" is not a, c or b" },
		{ RES("'devices':[{'allow':false,'type':'cb'}]"),
		  "linux.resources.devices[0]: type: \"cb\" is not a, c or b" },
		{ RES("'devices':[{'allow':false,'access':'rwx'}]"),
		  "linux.resources.devices[0]: access: \"rwx\" is not a combination of r, w and m" },
		{ RES("'devices':[{'allow':false,'access':''}]"),
		  "linux.resources.devices[0]: access: \"\" is not a combination" },
	};
	(void)state;
	RUN_BAD(cases);
	/* No type, major or minor: every device ("a", -1 as the wildcard). */
	struct scute_spec *s = parse_good(RES("'devices':[{'allow':false}]"));
	assert_int_equal(s->resources.n_devices, 1);
	assert_int_equal(s->resources.devices[0].type, 'a');
	assert_int_equal(s->resources.devices[0].major, -1);
	assert_int_equal(s->resources.devices[0].minor, -1);
	assert_string_equal(s->resources.devices[0].access, "rwm");
	scute_spec_free(s);
}

static void test_memory_cpu_pids(void **state)
{
	static const struct bad_case cases[] = {
		{ RES("'memory':[]"), "linux.resources.memory: expected an object" },
		{ RES("'memory':{'useHierarchy':'yes'}"),
		  "linux.resources.memory.useHierarchy: expected true or false" },
		{ RES("'memory':{'swappiness':101}"),
		  "linux.resources.memory.swappiness: 101 is out of range [0, 100]" },
		{ RES("'memory':{'disableOOMKiller':1}"),
		  "linux.resources.memory.disableOOMKiller: expected true or false" },
		{ RES("'memory':{'limit':-2}"),
		  "linux.resources.memory.limit: -2 is out of range" },
		{ RES("'cpu':{'idle':2}"), "linux.resources.cpu.idle: 2 is out of range [0, 1]" },
		{ RES("'cpu':{'shares':-1}"), "linux.resources.cpu.shares: -1 is out of range" },
		{ RES("'cpu':{'cpus':5}"), "linux.resources.cpu.cpus: expected a string" },
		{ RES("'cpu':{'weight':5}"), "linux.resources.cpu.weight: not supported" },
		{ RES("'pids':{'limit':'max'}"),
		  "linux.resources.pids.limit: expected an integer" },
		{ RES("'pids':5"), "linux.resources.pids: expected an object" },
	};
	(void)state;
	RUN_BAD(cases);
	/* Empty cpus and mems lists mean "not set", as engines send them. */
	struct scute_spec *s = parse_good(RES("'cpu':{'cpus':'','mems':''}"));
	assert_null(s->resources.cpus);
	assert_null(s->resources.mems);
	scute_spec_free(s);
}

static void test_hugepages_network_rdma_unified(void **state)
{
	static const struct bad_case cases[] = {
		{ RES("'hugepageLimits':[5]"),
		  "linux.resources.hugepageLimits: [0]: expected an object" },
		{ RES("'hugepageLimits':[{'limit':1}]"),
		  "linux.resources.hugepageLimits[0].pageSize: required field is missing" },
		{ RES("'hugepageLimits':[{'pageSize':'2MB','limit':-1}]"),
		  "linux.resources.hugepageLimits[0].limit: -1 is out of range" },
		{ RES("'hugepageLimits':[{'pageSize':'2XB','limit':1}]"),
		  "linux.resources.hugepageLimits[0]: pageSize: \"2XB\" is not a size like \"2MB\"" },
		{ RES("'hugepageLimits':[{'pageSize':'02MB','limit':1}]"), "pageSize: \"02MB\"" },
		{ RES("'hugepageLimits':[{'pageSize':'MB','limit':1}]"), "pageSize: \"MB\"" },
		{ RES("'network':[]"), "linux.resources.network: expected an object" },
		{ RES("'network':{'classID':-1}"),
		  "linux.resources.network.classID: -1 is out of range" },
		{ RES("'network':{'priorities':[5]}"),
		  "linux.resources.network.priorities[0]: expected an object" },
		{ RES("'network':{'priorities':[{'name':'a/b','priority':1}]}"),
		  "linux.resources.network.priorities[0]: name: required, an interface name" },
		{ RES("'network':{'priorities':[{'name':'ethernet-name-too-long','priority':1}]}"),
		  "linux.resources.network.priorities[0]: name: required" },
		{ RES("'network':{'priorities':[{'name':'..','priority':1}]}"),
		  "linux.resources.network.priorities[0]: name: required" },
		{ RES("'network':{'priorities':[{'name':'eth0'}]}"),
		  "linux.resources.network.priorities[0].priority: required field is missing" },
		{ RES("'rdma':[]"), "linux.resources.rdma: expected an object" },
		{ RES("'rdma':{'mlx 5':{}}"),
		  "linux.resources.rdma.mlx 5: not an RDMA device name" },
		{ RES("'rdma':{'mlx5':5}"), "linux.resources.rdma.mlx5: expected an object" },
		{ RES("'rdma':{'mlx5':{'hcaHandles':-1}}"),
		  "linux.resources.rdma.mlx5.hcaHandles: -1 is out of range" },
		{ RES("'rdma':{'mlx5':{'hcaObjects':'x'}}"),
		  "linux.resources.rdma.mlx5.hcaObjects: expected an integer" },
		{ RES("'rdma':{'mlx5':{'hcaThings':1}}"),
		  "linux.resources.rdma.mlx5.hcaThings: not supported" },
		{ RES("'unified':[]"), "linux.resources.unified: expected an object" },
		{ RES("'unified':{'memory.max':5}"),
		  "linux.resources.unified.memory.max: expected a string" },
		{ RES("'unified':{'../memory.max':'1'}"),
		  "linux.resources.unified.../memory.max: not a cgroup file name" },
		{ RES("'unified':{'nodot':'1'}"),
		  "linux.resources.unified.nodot: not a cgroup file name" },
		{ RES("'unified':{'.hidden':'1'}"),
		  "linux.resources.unified..hidden: not a cgroup file" },
	};
	(void)state;
	RUN_BAD(cases);
	struct scute_spec *s = parse_good(
		RES("'hugepageLimits':[{'pageSize':'2MB','limit':4194304}],"
		    "'network':{'classID':7,'priorities':[{'name':'eth0','priority':3}]},"
		    "'rdma':{'mlx5_1':{'hcaHandles':3,'hcaObjects':10000}},"
		    "'unified':{'memory.high':'1000000','pids.max':'9'}"));
	struct scute_resources *r = &s->resources;
	assert_int_equal(r->n_hugepages, 1);
	assert_string_equal(r->hugepages[0].page_size, "2MB");
	assert_int_equal(r->hugepages[0].limit, 4194304);
	assert_true(r->has_net_class_id);
	assert_int_equal(r->net_class_id, 7);
	assert_int_equal(r->n_net_priorities, 1);
	assert_string_equal(r->net_priorities[0].name, "eth0");
	assert_int_equal(r->net_priorities[0].priority, 3);
	assert_int_equal(r->n_rdma, 1);
	assert_string_equal(r->rdma[0].name, "mlx5_1");
	assert_true(r->rdma[0].has_handles && r->rdma[0].has_objects);
	assert_int_equal(r->rdma[0].handles, 3);
	assert_int_equal(r->rdma[0].objects, 10000);
	assert_int_equal(r->n_unified, 2);
	assert_string_equal(r->unified[0], "memory.high");
	assert_string_equal(r->unified[1], "1000000");
	assert_string_equal(r->unified[3], "9");
	scute_spec_free(s);
}

#define BIO(x) RES("'blockIO':{" x "}")

static void test_block_io(void **state)
{
	static const struct bad_case cases[] = {
		{ RES("'blockIO':5"), "linux.resources.blockIO: expected an object" },
		{ BIO("'weight':5"), "linux.resources.blockIO: weight: 5 is below 10" },
		{ BIO("'leafWeight':1001"),
		  "linux.resources.blockIO.leafWeight: 1001 is out of range" },
		{ BIO("'weightDevice':[5]"),
		  "linux.resources.blockIO.weightDevice: [0]: expected an object" },
		{ BIO("'weightDevice':[{'major':8}]"),
		  "linux.resources.blockIO.weightDevice[0].minor: required field is missing" },
		{ BIO("'weightDevice':[{'major':8,'minor':0,'weight':9}]"),
		  "linux.resources.blockIO.weightDevice[0]: weight: 9 is below 10" },
		{ BIO("'weightDevice':[{'major':8,'minor':0,'leafWeight':'x'}]"),
		  "linux.resources.blockIO.weightDevice[0].leafWeight: expected an integer" },
		/* Not an array, and no other throttle given (it was let through). */
		{ BIO("'throttleReadBpsDevice':{'major':8}"),
		  "linux.resources.blockIO.throttleReadBpsDevice: expected an array" },
		{ BIO("'throttleWriteIOPSDevice':5"),
		  "linux.resources.blockIO.throttleWriteIOPSDevice: expected an array" },
		{ BIO("'throttleReadBpsDevice':[5]"),
		  "linux.resources.blockIO.throttleReadBpsDevice[0]: expected an object" },
		{ BIO("'throttleWriteBpsDevice':[{'major':4096,'minor':0,'rate':1}]"),
		  "linux.resources.blockIO.throttleWriteBpsDevice[0].major: 4096 is out of range" },
		{ BIO("'throttleReadIOPSDevice':[{'major':8,'minor':0}]"),
		  "linux.resources.blockIO.throttleReadIOPSDevice[0].rate: required field is missing" },
		{ BIO("'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1}],"
		      "'throttleWriteIOPSDevice':{'major':8}"),
		  "linux.resources.blockIO.throttleWriteIOPSDevice: expected an array" },
		{ BIO("'ioMax':1"), "linux.resources.blockIO.ioMax: not supported" },
	};
	(void)state;
	RUN_BAD(cases);
	struct scute_spec *s = parse_good(
		BIO("'weight':500,'leafWeight':0,"
		    "'weightDevice':[{'major':8,'minor':16,'weight':200,'leafWeight':300}],"
		    "'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}],"
		    "'throttleWriteIOPSDevice':[{'major':8,'minor':1,'rate':100}]"));
	struct scute_resources *r = &s->resources;
	assert_true(r->has_blkio_weight);
	assert_int_equal(r->blkio_weight, 500);
	assert_false(r->has_blkio_leaf_weight);
	assert_int_equal(r->n_weight_devices, 1);
	assert_int_equal(r->weight_devices[0].minor, 16);
	assert_int_equal(r->weight_devices[0].weight, 200);
	assert_int_equal(r->weight_devices[0].leaf_weight, 300);
	assert_int_equal(r->n_throttles, 2);
	assert_int_equal(r->throttles[0].kind, 0);
	assert_int_equal(r->throttles[0].rate, 1048576);
	assert_int_equal(r->throttles[1].kind, 3);
	assert_int_equal(r->throttles[1].minor, 1);
	scute_spec_free(s);
}

/* The update verb's --r FILE goes through scute_resources_parse. */
static void test_update_input(void **state)
{
	struct scute_resources r;
	struct scute_err err = { 0 };
	json_t *v = json_integer(5);
	(void)state;

	assert_int_equal(scute_resources_parse(v, "--r update.json", &r, &err), -1);
	assert_string_equal(err.msg, "--r update.json: expected a JSON object");
	json_decref(v);
	v = json_pack("{s:{s:s}}", "pids", "limit", "x");
	assert_int_equal(scute_resources_parse(v, "--r update.json", &r, &err), -1);
	assert_non_null(strstr(err.msg, "--r update.json: linux.resources.pids.limit: expected"));
	scute_resources_free(&r);
	json_decref(v);
	v = json_pack("{s:{s:i}}", "pids", "limit", 10);
	assert_int_equal(scute_resources_parse(v, "--r update.json", &r, &err), 0);
	assert_true(r.has_pids_limit);
	assert_int_equal(r.pids_limit, 10);
	scute_resources_free(&r);
	json_decref(v);
}

/* exec --process FILE goes through scute_spec_parse_process. */
static void test_exec_process_input(void **state)
{
	struct scute_process p;
	struct scute_err err = { 0 };
	json_t *v = json_pack("{s:[s],s:s,s:{s:i,s:i},s:i}", "args", "sh", "cwd", "/", "user",
			      "uid", 0, "gid", 0, "oomScoreAdj", 5000);
	(void)state;

	assert_int_equal(scute_spec_parse_process(v, "--process p.json", &p, &err), -1);
	assert_non_null(strstr(err.msg, "--process p.json: process.oomScoreAdj: 5000 is out of"));
	json_decref(v);
	assert_int_equal(scute_spec_parse_process(NULL, "--process p.json", &p, &err), -1);
	assert_string_equal(err.msg, "--process p.json: expected a JSON object");
}

static void test_hooks_and_bundle(void **state)
{
	static const struct bad_case cases[] = {
		{ DOC_HEAD "},'hooks':{'prestart':{}}}", "hooks.prestart: expected an array" },
		{ DOC_HEAD "},'hooks':{'poststop':[{'args':['x']}]}}",
		  "hooks.poststop[0].path: required field is missing" },
	};
	struct scute_spec *s = NULL;
	struct scute_err err = { 0 };
	(void)state;

	RUN_BAD(cases);
	/* A hook without args runs as argv [path]. */
	s = parse_good(DOC_HEAD "},'hooks':{'poststart':[{'path':'/bin/true'}]}}");
	assert_int_equal(s->hooks.n[SCUTE_HOOK_POSTSTART], 1);
	assert_string_equal(s->hooks.list[SCUTE_HOOK_POSTSTART][0].args[0], "/bin/true");
	assert_null(s->hooks.list[SCUTE_HOOK_POSTSTART][0].args[1]);
	scute_spec_free(s);
	s = NULL;
	assert_int_equal(scute_spec_load("/nonexistent/bundle", &s, &err), -1);
	assert_null(s);
	assert_non_null(strstr(err.msg, "bundle \"/nonexistent/bundle\""));
}

static void test_sysctl_names_and_landlock_names(void **state)
{
	struct scute_spec *s = parse_good(DOC_HEAD "}}");
	struct scute_err err = { 0 };
	int abi;
	(void)state;

	assert_int_equal(scute_sysctl_check("net.ipv4.\x01x", s, &err), -1);
	assert_string_equal(err.msg, "malformed sysctl name");
	assert_int_equal(scute_sysctl_check("kernel.shm max", s, &err), -1);
	assert_string_equal(err.msg, "malformed sysctl name");
	scute_spec_free(s);
	/* The first right of a set, and the ABI that brought it. */
	assert_string_equal(scute_landlock_first_right(SCUTE_LANDLOCK_FS, 1ULL << 13, &abi),
			    "refer");
	assert_int_equal(abi, 2);
	assert_string_equal(scute_landlock_first_right(SCUTE_LANDLOCK_NET, 3, &abi), "bind_tcp");
	assert_int_equal(abi, 4);
	assert_string_equal(scute_landlock_first_right(SCUTE_LANDLOCK_SCOPE, 0, &abi), "?");
	assert_int_equal(abi, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_rules),
		cmocka_unit_test(test_memory_cpu_pids),
		cmocka_unit_test(test_hugepages_network_rdma_unified),
		cmocka_unit_test(test_block_io),
		cmocka_unit_test(test_update_input),
		cmocka_unit_test(test_exec_process_input),
		cmocka_unit_test(test_hooks_and_bundle),
		cmocka_unit_test(test_sysctl_names_and_landlock_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
