/* embed INPUT OUTPUT SYMBOL: write INPUT as a NUL-terminated C array
 * `const char SYMBOL[]` into OUTPUT (build-time helper: the default seccomp
 * profile ships inside the runtime). */
#include <stdio.h>

int main(int argc, char **argv)
{
	FILE *in, *out;
	int c, n = 0;

	if (argc != 4)
		return fprintf(stderr, "usage: embed INPUT OUTPUT SYMBOL\n"), 2;
	in = fopen(argv[1], "rb");
	out = fopen(argv[2], "w");
	if (!in || !out)
		return perror("embed"), 1;
	fprintf(out, "/* Generated from %s by tools/embed.c. */\nconst char %s[] = {", argv[1],
		argv[3]);
	while ((c = fgetc(in)) != EOF)
		fprintf(out, "%s0x%02x,", n++ % 16 ? " " : "\n\t", c);
	fprintf(out, "\n\t0x00\n};\n");
	return fclose(out) != 0 || ferror(in);
}
