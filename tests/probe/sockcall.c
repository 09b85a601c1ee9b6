/* sockcall: makes one socket or memory-policy system call straight through
 * the kernel's entry for the architecture it was built for, and prints "ok"
 * or the errno name. Built twice, with no libc at all: as an x86_64 binary
 * and as a real i386 one (gcc -m32 -nostdlib), so that tests can check the
 * seccomp filter for 64-bit and for 32-bit callers inside a container.
 *
 *   sockcall socket FAMILY TYPE      socket(FAMILY, TYPE, 0)
 *   sockcall socketcall FAMILY TYPE  (i386 only) socketcall(SYS_SOCKET,
 *                                    {FAMILY, TYPE, 0})
 *   sockcall mbind                   mbind(0, 0, MPOL_DEFAULT, NULL, 0, 0)
 *   sockcall set_mempolicy           set_mempolicy(MPOL_DEFAULT, NULL, 0)
 *
 * Exit status 0 for "ok", 1 for an errno, 2 for a usage error. */

#if defined(__x86_64__)
enum { NR_WRITE = 1, NR_EXIT = 60, NR_SOCKET = 41, NR_MBIND = 237, NR_SET_MEMPOLICY = 238 };

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

__asm__(".globl _start\n"
	"_start:\n"
	"\txorl %ebp, %ebp\n"
	"\tmovq %rsp, %rdi\n"
	"\tandq $-16, %rsp\n"
	"\tcall start_c\n"
	"\thlt\n");
#elif defined(__i386__)
enum { NR_WRITE = 4, NR_EXIT = 1, NR_SOCKET = 359, NR_MBIND = 274, NR_SET_MEMPOLICY = 276 };
enum { NR_SOCKETCALL = 102, SYS_SOCKET = 1 };

/* int 0x80 with up to five arguments (ebp, the sixth, is not needed: the
 * mbind call passes 0 there, and ebp is 0 from _start on). */
static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	long r;

	(void)f;
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return r;
}

__asm__(".globl _start\n"
	"_start:\n"
	"\txorl %ebp, %ebp\n"
	"\tmovl %esp, %eax\n"
	"\tandl $-16, %esp\n"
	"\tsubl $12, %esp\n"
	"\tpushl %eax\n"
	"\tcall start_c\n"
	"\thlt\n");
#else
#error "sockcall is for x86_64 and i386"
#endif

static unsigned long len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static long number(const char *s)
{
	long n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}

static void say(const char *s)
{
	sys6(NR_WRITE, 1, (long)s, (long)len(s), 0, 0, 0);
	sys6(NR_WRITE, 1, (long)"\n", 1, 0, 0, 0);
}

__attribute__((noreturn)) static void leave(long code)
{
	for (;;)
		sys6(NR_EXIT, code, 0, 0, 0, 0, 0);
}

static const char *errno_name(long e)
{
	static const struct {
		long e;
		const char *name;
	} names[] = { { 1, "EPERM" },	    { 13, "EACCES" },	       { 22, "EINVAL" },
		      { 38, "ENOSYS" },	    { 93, "EPROTONOSUPPORT" }, { 94, "ESOCKTNOSUPPORT" },
		      { 95, "EOPNOTSUPP" }, { 97, "EAFNOSUPPORT" },    { 24, "EMFILE" } };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	return "EOTHER";
}

static long call(int argc, char **argv)
{
	if (argc == 4 && same(argv[1], "socket"))
		return sys6(NR_SOCKET, number(argv[2]), number(argv[3]), 0, 0, 0, 0);
#if defined(__i386__)
	if (argc == 4 && same(argv[1], "socketcall")) {
		static long args[3];
		args[0] = number(argv[2]);
		args[1] = number(argv[3]);
		return sys6(NR_SOCKETCALL, SYS_SOCKET, (long)args, 0, 0, 0, 0);
	}
#endif
	if (argc == 2 && same(argv[1], "mbind"))
		return sys6(NR_MBIND, 0, 0, 0, 0, 0, 0);
	if (argc == 2 && same(argv[1], "set_mempolicy"))
		return sys6(NR_SET_MEMPOLICY, 0, 0, 0, 0, 0, 0);
	say("usage: sockcall socket|socketcall FAMILY TYPE | mbind | set_mempolicy");
	leave(2);
}

__attribute__((used, noreturn)) void start_c(long *sp)
{
	long r = call((int)sp[0], (char **)(sp + 1));

	if (r < 0 && r > -4096) {
		say(errno_name(-r));
		leave(1);
	}
	say("ok");
	leave(0);
}
