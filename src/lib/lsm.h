/* Labels of the Linux security modules: SELinux (selinux.c) and AppArmor
 * (apparmor.c) - whether the host has them, label formats, and labelling
 * the container's init for its execve. Landlock is in landlock.h. */
#ifndef SCUTE_LSM_H
#define SCUTE_LSM_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* SELinux (selinux.c). selinuxfs is mounted at /sys/fs/selinux: the policy is loaded. */
bool scute_selinux_enabled(void);
/* user:role:type[:level], each part made of the characters labels use. */
bool scute_selinux_label_valid(const char *label);
/* The mount option that labels a new filesystem ("context=LABEL"); -1
 * when it does not fit. */
int scute_selinux_context_option(const char *label, char *buf, size_t len);
/* Label the next execve (attr/exec) and the keyrings the init creates
 * (attr/keycreate), through the verified procfs handle. */
int scute_selinux_apply(int procfd, const char *label, struct scute_err *err);

/* AppArmor (apparmor.c). Profile names are at most this long: refused
 * beyond it, never applied cut. */
#define SCUTE_APPARMOR_NAME_MAX 255
bool scute_apparmor_enabled(void);
bool scute_apparmor_name_valid(const char *name);
/* Whether a profile of that name is loaded into the kernel. */
bool scute_apparmor_loaded(const char *name);
/* Make the next execve run under the profile (attr/apparmor/exec, or
 * attr/exec on kernels before 5.8). */
int scute_apparmor_apply(int procfd, const char *profile, struct scute_err *err);
/* Load (or replace) scute's default profile under `name` with
 * apparmor_parser. */
int scute_apparmor_load_default(const char *name, struct scute_err *err);
/* The default profile's text for `name` (malloc'd). */
char *scute_apparmor_default_profile(const char *name);
#define SCUTE_APPARMOR_DEFAULT "scute-default"

/* At create, before anything is made: every label the config asks for can
 * be applied here (scute-default is loaded when missing). */
struct scute_spec;
struct scute_process;
int scute_lsm_check(const struct scute_spec *spec, struct scute_err *err);
/* In the init: the exec labels, through the verified procfs handle. */
int scute_lsm_apply(int procfd, const struct scute_process *p, struct scute_err *err);

#endif
