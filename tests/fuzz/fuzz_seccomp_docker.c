/* libFuzzer target: Docker-format seccomp profiles (seccomp convert, and
 * --security-opt seccomp=FILE as engines pass it), converted for a fixed
 * environment, and the OCI section that comes out parsed back in. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp_docker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scute_docker_env env = { .caps = 1ULL << 21,
					.kernel_major = 6,
					.kernel_minor = 1,
					.arch = "SCMP_ARCH_X86_64",
					.go_arch = "amd64" };
	struct scute_err err;
	json_error_t jerr;
	json_t *profile = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	json_t *oci;

	if (!profile)
		return 0;
	oci = scute_seccomp_from_docker(profile, "profile.json", &env, &err);
	json_decref(oci);
	json_decref(profile);
	return 0;
}
