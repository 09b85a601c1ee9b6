/* Unit tests of config.json input the parser must refuse: each case a
 * field of the wrong type, out of range or malformed, and the error must
 * name that field (its JSON path) and, where it has one, the bad value.
 * The documents are written with ' for " to keep the tables readable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "landlock_rules.h"
#include "spec.h"
#include "sysctl_rules.h"
#include "spec_cases.h"

#define HEAD "'ociVersion':'1.2.0','root':{'path':'rootfs'},"
#define PROC_FIELDS "'args':['sh'],'cwd':'/'"
#define USER "'user':{'uid':0,'gid':0}"
#define PROC(x) "'process':{" PROC_FIELDS "," USER x "}"
#define NS "'namespaces':[{'type':'mount'},{'type':'uts'}]"
#define LINUX(x) "'linux':{" NS x "}"
/* A document: HEAD, a process with x added, linux with y added. */
#define DOC(x, y) "{" HEAD PROC(x) "," LINUX(y) "}"
#define RES(x) DOC("", ",'resources':{" x "}")

static void test_document(void **state)
{
	static const struct bad_case cases[] = {
		{ "[1]", "config.json: expected a JSON object" },
		{ "{'root':{'path':'r'}," PROC("") "," LINUX("") "}",
		  "ociVersion: required field is missing" },
		{ "{'ociVersion':'2.0.0','root':{'path':'r'}," PROC("") "," LINUX("") "}",
		  "ociVersion: unsupported version \"2.0.0\"" },
		{ "{'ociVersion':'1.2.0','root':{'path':'r','readonly':'yes'}," PROC("") "," LINUX(
			  "") "}",
		  "root.readonly: expected true or false" },
		{ "{'ociVersion':'1.2.0','root':{'readonly':true}," PROC("") "," LINUX("") "}",
		  "root.path: required field is missing" },
		{ "{" HEAD "'hostname':5," PROC("") "," LINUX("") "}",
		  "hostname: expected a string" },
		{ "{" HEAD "'domainname':[]," PROC("") "," LINUX("") "}",
		  "domainname: expected a string" },
		{ "{" HEAD
		  "'domainname':'d'," PROC("") ",'linux':{'namespaces':[{'type':'mount'}]}}",
		  "domainname: setting a domainname needs a uts namespace" },
		{ "{" HEAD PROC("") "}", "linux: required field is missing" },
		{ "{" HEAD PROC("") ",'linux':[]}", "linux: expected an object" },
		{ "{" HEAD PROC("") "," LINUX("") ",'hooks':[]}", "hooks: expected an object" },
		{ "{" HEAD PROC("") "," LINUX("") ",'mounts':{}}", "mounts: expected an array" },
	};
	(void)state;
	RUN_BAD(cases);
}

static void test_process_fields(void **state)
{
	static const struct bad_case cases[] = {
		{ "{" HEAD "'process':{" PROC_FIELDS "}," LINUX("") "}",
		  "process.user: required field is missing" },
		{ "{" HEAD "'process':{" PROC_FIELDS
		  ",'user':{'uid':0,'gid':0,'username':'root'}}," LINUX("") "}",
		  "process.user.username: not supported" },
		{ "{" HEAD "'process':{" PROC_FIELDS
		  ",'user':{'uid':0,'gid':'wheel'}}," LINUX("") "}",
		  "process.user.gid: expected an integer" },
		{ "{" HEAD "'process':{" PROC_FIELDS
		  ",'user':{'uid':0,'gid':0,'umask':512}}," LINUX("") "}",
		  "process.user.umask: 512 is out of range [0, 511]" },
		{ "{" HEAD "'process':{" PROC_FIELDS
		  ",'user':{'uid':0,'gid':0,'additionalGids':5}}," LINUX("") "}",
		  "process.user.additionalGids: expected an array" },
		{ "{" HEAD "'process':{" PROC_FIELDS
		  ",'user':{'uid':0,'gid':0,'additionalGids':[1,-1]}}," LINUX("") "}",
		  "process.user.additionalGids[1]: expected a group id" },
		{ DOC(",'capabilities':[]", ""), "process.capabilities: expected an object" },
		{ DOC(",'capabilities':{'bounding':'CAP_CHOWN'}", ""),
		  "process.capabilities.bounding: expected an array" },
		{ DOC(",'capabilities':{'effective':['CAP_CHOWN',5]}", ""),
		  "process.capabilities.effective: [1]: expected a string" },
		{ DOC(",'rlimits':{}", ""), "process.rlimits: expected an array" },
		{ DOC(",'rlimits':[{'soft':1,'hard':1}]", ""),
		  "process.rlimits[0].type: required field is missing" },
		{ DOC(",'rlimits':[{'type':'RLIMIT_NOFILE','soft':-1,'hard':1}]", ""),
		  "process.rlimits[0].soft: -1 is out of range" },
		{ DOC(",'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
		      "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]",
		      ""),
		  "process.rlimits[1]: duplicate rlimit RLIMIT_NOFILE" },
		{ DOC(",'consoleSize':{'height':65536}", ""),
		  "process.consoleSize.height: 65536 is out of range [0, 65535]" },
		{ DOC(",'consoleSize':{'width':-1}", ""),
		  "process.consoleSize.width: -1 is out of range" },
		{ DOC(",'oomScoreAdj':1001", ""), "process.oomScoreAdj: 1001 is out of range" },
		{ DOC(",'apparmorProfile':5", ""), "process.apparmorProfile: expected a string" },
		{ DOC(",'apparmorProfile':'a b'", ""),
		  "process.apparmorProfile: \"a b\" is not a profile name" },
		{ DOC(",'selinuxLabel':'nocolons'", ""),
		  "process.selinuxLabel: \"nocolons\" is not a user:role:type" },
	};
	(void)state;
	RUN_BAD(cases);
}

static void test_landlock_fields(void **state)
{
	static const struct bad_case cases[] = {
		{ DOC(",'noNewPrivileges':true,'landlock':[]", ""),
		  "process.landlock: expected an object" },
		{ DOC(",'noNewPrivileges':true,'landlock':{'ruleset':{'handledAccessFS':'x'}}", ""),
		  "process.landlock.ruleset.handledAccessFS: expected an array" },
		{ DOC(",'noNewPrivileges':true,'landlock':{'ruleset':{'scoped':['signal',1]}}", ""),
		  "process.landlock.ruleset: scoped[1]: not a string is not a Landlock right" },
		{ DOC(",'noNewPrivileges':true,'landlock':{'rules':{'pathBeneath':{}}}", ""),
		  "process.landlock.rules.pathBeneath: expected an array" },
		{ DOC(",'noNewPrivileges':true,'landlock':{'rules':{'netPort':[5]}}", ""),
		  "process.landlock.rules.netPort: [0]: expected an object" },
		{ DOC(",'noNewPrivileges':true,'landlock':{'ruleset':{'handledAccessNet':["
		      "'bind_tcp']},'rules':{'netPort':[{'allowedAccess':['bind_tcp'],"
		      "'ports':[80,65536]}]}}",
		      ""),
		  "process.landlock.rules.netPort[0]: ports[1]: expected a port, 0 to 65535" },
		{ DOC(",'noNewPrivileges':true,'landlock':{'ruleset':{'handledAccessNet':["
		      "'bind_tcp']},'rules':{'netPort':[{'allowedAccess':['bind_tcp']}]}}",
		      ""),
		  "process.landlock.rules.netPort[0].ports: required field is missing" },
	};
	(void)state;
	RUN_BAD(cases);
}

static void test_linux_fields(void **state)
{
	static const struct bad_case cases[] = {
		{ "{" HEAD PROC("") ",'linux':{'namespaces':{}}}",
		  "linux.namespaces: expected an array" },
		{ "{" HEAD PROC("") ",'linux':{'namespaces':[5]}}",
		  "linux.namespaces[0]: expected an object" },
		{ "{" HEAD PROC("") ",'linux':{'namespaces':[{'path':'/x'}]}}",
		  "linux.namespaces[0].type: required field is missing" },
		{ "{" HEAD PROC("") ",'linux':{'namespaces':[{'type':'mount','path':5}]}}",
		  "linux.namespaces[0].path: expected a string" },
		{ "{" HEAD PROC("") ",'linux':{'namespaces':[{'type':'mount','path':'ns/mnt'}]}}",
		  "linux.namespaces[0]: path \"ns/mnt\" is not absolute" },
		{ "{" HEAD PROC(
			  "") ",'linux':{'namespaces':[{'type':'mount'},{'type':'user','path':"
			      "'/proc/1/ns/user'},{'type':'pid'}]}}",
		  "linux.namespaces: a new pid namespace inside a joined user namespace" },
		{ DOC("", ",'uidMappings':{}"), "linux.uidMappings: expected an array" },
		{ DOC("", ",'uidMappings':[5]"), "linux.uidMappings[0]: expected an object" },
		{ DOC("", ",'gidMappings':[{'containerID':0,'hostID':1000}]"),
		  "linux.gidMappings[0].size: required field is missing" },
		{ DOC("", ",'gidMappings':[{'containerID':0,'hostID':1000,'size':0}]"),
		  "linux.gidMappings[0].size: 0 is out of range" },
		{ DOC("", ",'devices':{}"), "linux.devices: expected an array" },
		{ DOC("", ",'devices':[5]"), "linux.devices[0]: expected an object" },
		{ DOC("", ",'devices':[{'path':'/dev/x'}]"),
		  "linux.devices[0].type: required field is missing" },
		{ DOC("", ",'devices':[{'path':'dev/x','type':'c','major':1,'minor':1}]"),
		  "linux.devices[0]: path \"dev/x\" is not absolute" },
		{ DOC("", ",'devices':[{'path':'/dev/x','type':'c','major':1}]"),
		  "linux.devices[0].minor: required field is missing" },
		{ DOC("", ",'devices':[{'path':'/dev/x','type':'c','major':1,'minor':1,'fileMode':"
			  "4096}]"),
		  "linux.devices[0].fileMode: 4096 is out of range" },
		{ DOC("", ",'devices':[{'path':'/dev/x','type':'c','major':1,'minor':1,'uid':-1}]"),
		  "linux.devices[0].uid: -1 is out of range" },
		{ DOC("", ",'devices':[{'path':'/dev/x','type':'p','gid':'x'}]"),
		  "linux.devices[0].gid: expected an integer" },
		{ DOC("", ",'rootfsPropagation':5"), "linux.rootfsPropagation: expected a string" },
		{ DOC("", ",'sysctl':[]"), "linux.sysctl: expected an object" },
		{ DOC("", ",'sysctl':{'kernel.msgmax':1}"),
		  "linux.sysctl.kernel.msgmax: expected a string" },
		{ DOC("", ",'mountLabel':5"), "linux.mountLabel: expected a string" },
		{ DOC("", ",'mountLabel':'x'"), "linux.mountLabel: \"x\" is not a user:role:type" },
	};
	(void)state;
	RUN_BAD(cases);
}

#define TIME_NS "'namespaces':[{'type':'mount'},{'type':'uts'},{'type':'time'}]"
#define TIME_DOC(x) "{" HEAD PROC("") ",'linux':{" TIME_NS ",'timeOffsets':" x "}}"

static void test_time_offsets(void **state)
{
	static const struct bad_case cases[] = {
		{ DOC("", ",'timeOffsets':{'monotonic':{'secs':1}}"),
		  "linux.timeOffsets: needs a new time namespace" },
		{ DOC("", ",'timeOffsets':[]"), "linux.timeOffsets: expected an object" },
		{ TIME_DOC("{'monotonic':5}"), "linux.timeOffsets.monotonic: expected an object" },
		{ TIME_DOC("{'monotonic':{'secs':'x'}}"),
		  "linux.timeOffsets.monotonic.secs: expected an integer" },
		{ TIME_DOC("{'boottime':{'nanosecs':1000000000}}"),
		  "linux.timeOffsets.boottime.nanosecs: 1000000000 is out of range" },
	};
	(void)state;
	RUN_BAD(cases);
	struct scute_spec *s = parse_good(
		TIME_DOC("{'monotonic':{'secs':-5,'nanosecs':7},'boottime':{'secs':9}}"));
	assert_true(s->has_time_offsets);
	assert_int_equal(s->monotonic_secs, -5);
	assert_int_equal(s->monotonic_nsecs, 7);
	assert_int_equal(s->boottime_secs, 9);
	scute_spec_free(s);
}

static void test_mount_fields(void **state)
{
	static const struct bad_case cases[] = {
		{ "{" HEAD PROC("") "," LINUX("") ",'mounts':[5]}",
		  "mounts[0]: expected an object" },
		{ "{" HEAD PROC("") "," LINUX(
			  "") ",'mounts':[{'destination':'/a','options':'ro'}]}",
		  "mounts[0].options: expected an array" },
		{ "{" HEAD PROC("") "," LINUX("") ",'mounts':[{'type':'tmpfs'}]}",
		  "mounts[0].destination: required field is missing" },
		{ "{" HEAD PROC("") "," LINUX(
			  "") ",'mounts':[{'destination':'/a','options':['bind']}]}",
		  "mounts[0]: a bind mount needs a source" },
	};
	(void)state;
	RUN_BAD(cases);
	/* A relative bind source is the bundle's; "defaults" sets nothing. */
	struct scute_spec *s = parse_good("{" HEAD PROC("") "," LINUX(
		"") ",'mounts':[{'destination':'/a','source':'data','options':['rbind','defaults']},"
		    "{'destination':'/t','type':'tmpfs','source':'tmpfs','options':['defaults']}]}");
	assert_string_equal(s->mounts[0].source, "/bundle/data");
	assert_true(s->mounts[0].bind);
	assert_int_equal(s->mounts[1].n_fs_options, 0);
	scute_spec_free(s);
}

#define SECCOMP(x) DOC("", ",'seccomp':{'defaultAction':'SCMP_ACT_ALLOW'" x "}")
#define RULE(x) SECCOMP(",'syscalls':[{'names':['getpid'],'action':'SCMP_ACT_ERRNO'" x "}]")

static void test_seccomp_fields(void **state)
{
	static const struct bad_case cases[] = {
		{ SECCOMP(",'architectures':'SCMP_ARCH_X86_64'"),
		  "linux.seccomp.architectures: expected an array" },
		{ SECCOMP(",'flags':5"), "linux.seccomp.flags: expected an array" },
		{ SECCOMP(",'syscalls':{}"), "linux.seccomp.syscalls: expected an array" },
		{ SECCOMP(",'syscalls':[5]"), "linux.seccomp.syscalls[0]: expected an object" },
		{ SECCOMP(",'syscalls':[{'names':[],'action':'SCMP_ACT_ERRNO'}]"),
		  "linux.seccomp.syscalls[0]: names: at least one syscall is required" },
		{ RULE(",'args':[5]"), "linux.seccomp.syscalls[0].args[0]: expected an object" },
		{ RULE(",'args':[{'index':0,'value':1,'valueTwo':-1,'op':'SCMP_CMP_EQ'}]"),
		  "linux.seccomp.syscalls[0].args[0].valueTwo: -1 is out of range" },
		{ RULE(",'args':[{'index':0,'value':1}]"),
		  "linux.seccomp.syscalls[0].args[0].op: required field is missing" },
		{ RULE(",'args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]"),
		  "linux.seccomp.syscalls[0].args[0].index: 6 is out of range [0, 5]" },
		{ RULE(",'args':[{'index':0,'value':0,'op':'SCMP_CMP_EQ'},{'index':1,'value':0,'op':"
		       "'SCMP_CMP_EQ'},{'index':2,'value':0,'op':'SCMP_CMP_EQ'},{'index':3,'value':0,"
		       "'op':'SCMP_CMP_EQ'},{'index':4,'value':0,'op':'SCMP_CMP_EQ'},{'index':5,"
		       "'value':0,'op':'SCMP_CMP_EQ'},{'index':0,'value':1,'op':'SCMP_CMP_EQ'}]"),
		  "linux.seccomp.syscalls[0]: args: at most 6 conditions" },
		{ SECCOMP(",'listenerPath':'/run/agent.sock','listenerMetadata':5"),
		  "linux.seccomp.listenerMetadata: expected a string" },
		{ SECCOMP(",'listenerPath':'run/agent.sock'"),
		  "linux.seccomp.listenerPath: \"run/agent.sock\" is not an absolute path" },
		{ SECCOMP(",'syscalls':[{'names':['getpid'],'action':'SCMP_ACT_NOTIFY'}]"),
		  "linux.seccomp.listenerPath: SCMP_ACT_NOTIFY needs a listenerPath" },
		/* As the default action (it was let through, and run hung). */
		{ DOC("", ",'seccomp':{'defaultAction':'SCMP_ACT_NOTIFY'}"),
		  "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action" },
		{ DOC("",
		      ",'seccomp':{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/a.sock'}"),
		  "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action" },
		/* Calls the init makes before the agent has the listener. */
		{ SECCOMP(",'listenerPath':'/a.sock','syscalls':[{'names':['getpid','sendmsg'],"
			  "'action':'SCMP_ACT_NOTIFY'}]"),
		  "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for sendmsg" },
		{ SECCOMP(",'listenerPath':'/a.sock','syscalls':[{'names':['sendto'],"
			  "'action':'SCMP_ACT_NOTIFY'}]"),
		  "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for sendto" },
	};
	(void)state;
	RUN_BAD(cases);
	/* SCMP_ACT_TRACE carries its errnoRet as the tracer's message. */
	struct scute_spec *s = parse_good(SECCOMP(
		",'syscalls':[{'names':['getpid'],'action':'SCMP_ACT_TRACE','errnoRet':7}]"));
	assert_int_equal(s->seccomp->rules[0].action, SCMP_ACT_TRACE(7));
	scute_spec_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document),	cmocka_unit_test(test_process_fields),
		cmocka_unit_test(test_landlock_fields), cmocka_unit_test(test_linux_fields),
		cmocka_unit_test(test_time_offsets),	cmocka_unit_test(test_mount_fields),
		cmocka_unit_test(test_seccomp_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
