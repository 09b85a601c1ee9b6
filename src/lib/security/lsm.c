/* Before anything is created: the labels a config asks for must be ones
 * this host can apply, or create fails naming them (never a silent run
 * without them). */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "lsm.h"
#include "spec.h"

static int check_apparmor(const char *profile, struct scute_err *err)
{
	if (!profile || strcmp(profile, "unconfined") == 0)
		return 0;
	/* exec --apparmor comes here without the config's name check. */
	if (!scute_apparmor_name_valid(profile))
		return scute_err_set(
			err, EINVAL,
			"process.apparmorProfile: \"%.64s...\" (%zu characters) is not "
			"a profile name (at most %d characters, no spaces, quotes or "
			"brackets)",
			profile, strlen(profile), SCUTE_APPARMOR_NAME_MAX);
	if (!scute_apparmor_enabled())
		return scute_err_set(err, ENOTSUP,
				     "process.apparmorProfile: \"%s\": AppArmor is "
				     "not enabled on this host",
				     profile);
	if (scute_apparmor_loaded(profile))
		return 0;
	/* scute's own profile is loaded on first use, as Docker loads its
	 * docker-default. */
	if (strcmp(profile, SCUTE_APPARMOR_DEFAULT) == 0) {
		scute_debug("apparmor: %s is not loaded; loading it", profile);
		if (scute_apparmor_load_default(profile, err) < 0)
			return scute_err_prefix(err, "process.apparmorProfile");
		return 0;
	}
	return scute_err_set(err, ENOENT,
			     "process.apparmorProfile: profile \"%s\" is not loaded "
			     "(load it with apparmor_parser, or scute's own with "
			     "\"scute-runtime apparmor load --name %s\")",
			     profile, profile);
}

int scute_lsm_check(const struct scute_spec *spec, struct scute_err *err)
{
	const char *label = spec->process.selinux_label;

	if (check_apparmor(spec->process.apparmor_profile, err) < 0)
		return -1;
	if (label && *label && !scute_selinux_enabled())
		return scute_err_set(err, ENOTSUP,
				     "process.selinuxLabel: \"%s\": SELinux is not "
				     "enabled on this host",
				     label);
	if (spec->mount_label && *spec->mount_label && !scute_selinux_enabled())
		return scute_err_set(err, ENOTSUP,
				     "linux.mountLabel: \"%s\": SELinux is not "
				     "enabled on this host",
				     spec->mount_label);
	return 0;
}

int scute_lsm_apply(int procfd, const struct scute_process *p, struct scute_err *err)
{
	if (p->apparmor_profile && strcmp(p->apparmor_profile, "unconfined") != 0 &&
	    scute_apparmor_apply(procfd, p->apparmor_profile, err) < 0)
		return -1;
	if (p->selinux_label && *p->selinux_label &&
	    scute_selinux_apply(procfd, p->selinux_label, err) < 0)
		return -1;
	return 0;
}
