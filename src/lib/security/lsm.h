/* Labels of the Linux security modules: SELinux (selinux.c) and AppArmor
 * (apparmor.c) - whether the host has them, label formats, and labelling
 * the container's init for its execve. Landlock is in landlock.h. */
#ifndef SCUTE_LSM_H
#define SCUTE_LSM_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "labels.h"
#include "scute.h"

/* SELinux (selinux.c). selinuxfs is mounted at /sys/fs/selinux: the policy is loaded. */
bool scute_selinux_enabled(void);
/* Label the next execve (attr/exec) and the keyrings the init creates
 * (attr/keycreate), through the verified procfs handle. */
int scute_selinux_apply(int procfd, const char *label, struct scute_err *err);

/* AppArmor (apparmor.c). */
bool scute_apparmor_enabled(void);
/* Whether a profile of that name is loaded into the kernel. */
bool scute_apparmor_loaded(const char *name);
/* Make the next execve run under the profile (attr/apparmor/exec, or
 * attr/exec on kernels before 5.8). */
int scute_apparmor_apply(int procfd, const char *profile, struct scute_err *err);

/* At create, before anything is made: every label the config asks for can
 * be applied here (scute-default is loaded when missing). */
struct scute_spec;
struct scute_process;
int scute_lsm_check(const struct scute_spec *spec, struct scute_err *err);
/* In the init: the exec labels, through the verified procfs handle. */
int scute_lsm_apply(int procfd, const struct scute_process *p, struct scute_err *err);

#endif
