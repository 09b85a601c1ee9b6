/* Compiled seccomp filters cached under the state root: compiling a large
 * profile with libseccomp costs tens of milliseconds, loading it back well
 * under one. */
#ifndef SCUTE_SECCOMP_CACHE_H
#define SCUTE_SECCOMP_CACHE_H

#include "error.h"
#include "seccomp.h"
#include "spec.h"

#define SCUTE_SECCOMP_CACHE_MAX 64 /* entries kept; the oldest go first */

/* Compile `sc`, or load it from ROOT/seccomp-cache/SHA256HEX.bpf. An entry
 * is keyed by the SHA-256 of the section (flags included), architecture,
 * kernel release, libseccomp and scute versions, and checked (magic, key,
 * length, SHA-256 of the instructions) before use: a corrupt or truncated
 * one is rebuilt, never loaded. `rootfd` is the checked state root
 * (sandbox/state_root.h opens it). */
int scute_seccomp_compile_cached_at(const struct scute_seccomp *sc, int rootfd,
				    struct scute_bpf *out, struct scute_err *err);

#endif
