/* Every system call name libseccomp knows on the architectures scute's
 * default profile covers, one a line (input of gen-seccomp-default.py). */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_AARCH64,
			      SCMP_ARCH_ARM };
	for (int a = 0; a < 5; a++) {
		int base = arches[a] == SCMP_ARCH_X32 ? 0x40000000 : 0;
		for (int nr = 0; nr < 1100; nr++) {
			char *n = seccomp_syscall_resolve_num_arch(arches[a], base + nr);
			if (n) {
				printf("%s\n", n);
				free(n);
			}
		}
		if (arches[a] == SCMP_ARCH_ARM)
			for (int nr = 0x0f0000; nr < 0x0f0010; nr++) {
				char *n = seccomp_syscall_resolve_num_arch(arches[a], nr);
				if (n) {
					printf("%s\n", n);
					free(n);
				}
			}
	}
}
