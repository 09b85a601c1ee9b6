/* Image references as docker writes them: NAME[:TAG][@DIGEST], the
 * grammar of distribution/reference, with docker's short names normalised
 * ("busybox" is docker.io/library/busybox:latest). References come from
 * users, archives and registries, so they are untrusted text until parsed
 * here. */
#ifndef SCUTE_ENGINE_REFERENCE_H
#define SCUTE_ENGINE_REFERENCE_H

#include "digest.h"
#include "scute.h"

/* The longest name (domain, '/', path) docker takes. */
#define SCUTE_REF_NAME_MAX 255
/* The longest tag. */
#define SCUTE_REF_TAG_MAX 128

struct scute_image_ref {
	char *domain;		     /* "docker.io", "localhost:5000" */
	char *path;		     /* "library/busybox" */
	char *tag;		     /* "latest"; NULL when only a digest was given */
	struct scute_digest *digest; /* NULL when none was given */
};

/* Parse S and normalise it as docker does: no domain is docker.io,
 * index.docker.io is docker.io, a docker.io name of one component is
 * library/NAME, and neither tag nor digest is the tag "latest". A bad
 * reference is an EINVAL error naming it and what is wrong; ENOMEM
 * otherwise. On success *OUT is for scute_image_ref_free. */
int scute_image_ref_parse(const char *s, struct scute_image_ref **out, struct scute_err *err);

void scute_image_ref_free(struct scute_image_ref *ref);

/* "docker.io/library/busybox:latest", "localhost:5000/a/b@sha256:..."
 * (allocated; NULL when out of memory). */
char *scute_image_ref_string(const struct scute_image_ref *ref);

/* The form docker shows: docker.io and library/ left out ("busybox:latest",
 * "foo/bar:1"); other domains kept, and docker.io too where the path's
 * first component would read as a domain ("docker.io/a.b/c", which docker
 * shows as "a.b/c"), so that the familiar form parses back to the same
 * reference (allocated; NULL when out of memory). */
char *scute_image_ref_familiar(const struct scute_image_ref *ref);

#endif
