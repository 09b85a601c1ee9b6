/* Coverage builds only (meson -Db_coverage=true defines SCUTE_COVERAGE);
 * in every other build these are empty and the handle below never exists.
 *
 * gcov writes a process's counters to files in the build directory when
 * it exits or execs. The init and exec'd processes exec inside the
 * container, where that directory is not reachable (after pivot_root or
 * setns) and where seccomp, Landlock or a user switch would stop the
 * writes anyway. So, in coverage builds only, such a process keeps an
 * O_PATH handle on the host's root from before it left it (close-on-exec:
 * the container's program never has it) and writes its counters through
 * that handle at the last point where it still can; gcov then skips the
 * write it would make at exec (one dump per process image). */
#ifndef SCUTE_COVERAGE_H
#define SCUTE_COVERAGE_H

#ifdef SCUTE_COVERAGE
/* Call while "/" is still the host's. */
void scute_coverage_keep_root(void);
/* Write the counters now (through the kept handle if there is one). A
 * failure loses this process's counts, silently: it must not show up in
 * what the container prints. */
void scute_coverage_dump(void);
#else
static inline void scute_coverage_keep_root(void)
{
}
static inline void scute_coverage_dump(void)
{
}
#endif

#endif
