/* libFuzzer target: device rules, through v1's bookkeeping into the cgroup
 * v2 eBPF program; every jump of the program must stay inside it. */
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char types[] = "acb";
	static const char *const access[] = { "r", "w", "m", "rw", "rm", "wm", "rwm" };
	size_t n = size / 4;
	struct scute_device_rule *rules = calloc(n + 1, sizeof(*rules));
	struct scute_resources res = { .devices = rules, .n_devices = n };
	struct bpf_insn *insns;
	size_t len;

	if (!rules)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *d = data + 4 * i;
		rules[i].allow = d[0] & 1;
		rules[i].type = types[(d[0] >> 1) % 3];
		rules[i].major = d[1] < 8 ? -1 : d[1] % 16;
		rules[i].minor = d[2] < 8 ? -1 : d[2] % 16;
		strcpy(rules[i].access, access[d[3] % 7]);
	}
	if (scute_device_program(&res, &insns, &len) == 0) {
		for (size_t i = 0; i < len; i++)
			if (BPF_CLASS(insns[i].code) == BPF_JMP &&
			    BPF_OP(insns[i].code) != BPF_EXIT &&
			    (long)i + 1 + insns[i].off >= (long)len)
				abort();
		if (len == 0 || insns[len - 1].code != (BPF_JMP | BPF_EXIT))
			abort();
		free(insns);
	}
	free(rules);
	return 0;
}
