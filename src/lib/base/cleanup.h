/* Cleanup attributes: a variable declared with one of these is released
 * when it goes out of scope, so every early return gives back what the
 * function holds (a hand-written close on each path is how fds leak).
 *
 *     auto_fd int fd = open(...);      closed unless negative
 *     auto_free char *s = strdup(...); freed
 *     auto_fclose FILE *f = fopen(...);
 *     auto_closedir DIR *d = opendir(...);
 *     auto_json json_t *doc = json_loads(...);   one reference dropped
 *
 * To hand the resource on, take it out of the variable: `return
 * scute_take_fd(&fd);` or `out = scute_take_ptr(&s);`.
 *
 * clang-tidy 14's analyzer does not run cleanup functions: where it sees
 * the allocation of an auto_free variable it reports a leak, so those lines
 * carry NOLINTNEXTLINE(clang-analyzer-unix.Malloc). gcc -fanalyzer and the
 * sanitizers do see the cleanups; cppcheck does not either (one
 * cppcheck-suppress resourceLeak in fsutil.c). */
#ifndef SCUTE_CLEANUP_H
#define SCUTE_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Each keeps errno as it was: a cleanup runs after the failing call whose
 * errno the caller may still read. */
static inline void scute_cleanup_fd(const int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void scute_cleanup_free(void *p)
{
	free(*(void **)p);
}

static inline void scute_cleanup_fclose(FILE **f)
{
	if (*f) {
		int saved = errno;
		fclose(*f);
		errno = saved;
	}
}

static inline void scute_cleanup_closedir(DIR **d)
{
	if (*d) {
		int saved = errno;
		closedir(*d);
		errno = saved;
	}
}

/* jansson is every layer's JSON (config, state, hook input): one
 * reference is dropped, which frees a document nothing else holds. */
static inline void scute_cleanup_json(json_t **j)
{
	json_decref(*j);
}

#define auto_fd __attribute__((cleanup(scute_cleanup_fd)))
#define auto_free __attribute__((cleanup(scute_cleanup_free)))
#define auto_fclose __attribute__((cleanup(scute_cleanup_fclose)))
#define auto_closedir __attribute__((cleanup(scute_cleanup_closedir)))
#define auto_json __attribute__((cleanup(scute_cleanup_json)))

/* The fd, leaving -1 behind so the cleanup does nothing. */
static inline int scute_take_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

/* The pointer, leaving NULL behind. */
static inline void *scute_take_ptr(void *p)
{
	void *v = *(void **)p;
	*(void **)p = NULL;
	return v;
}

#endif
