/* Config.User and HostConfig.GroupAdd resolved as docker resolves them:
 * against the /etc/passwd and /etc/group of the container's own root,
 * which come from the image and are untrusted. They are opened inside the
 * root (openat2 RESOLVE_IN_ROOT, so a symlink cannot lead out of it), must
 * be regular files, and are read up to a bound. */
#ifndef SCUTE_ENGINE_USER_LOOKUP_H
#define SCUTE_ENGINE_USER_LOOKUP_H

#include <jansson.h>
#include <sys/types.h>

#include "scute.h"

struct scute_user {
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* supplementary: the user's groups in /etc/group, then GroupAdd */
	size_t n_groups;
	char home[256]; /* the passwd entry's home, "/" without one */
};

/* `user` is "", NAME, UID, NAME:GROUP, UID:GID, ...; `group_add` an array
 * of group names or GIDs (or NULL). rootfd is the container's root. A
 * name that is not in the file is an error naming it, as docker's "unable
 * to find user NAME". */
int scute_user_resolve(int rootfd, const char *user, json_t *group_add, struct scute_user *out,
		       struct scute_err *err);
void scute_user_clear(struct scute_user *u);

#endif
