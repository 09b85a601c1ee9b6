/* rootfs-tool: container roots (src/engine/rootfs) from the command line,
 * for tests/integration/rootfs_overlay.bats only.
 *
 *   rootfs-tool mount ROOT IMAGE DIR TARGET   mount IMAGE's root at TARGET, DIR its own
 *   rootfs-tool make ROOT IMAGE DIR TARGET    the same, not mounted yet
 *   rootfs-tool remount ROOT DIR              mount the root made with DIR again
 *   rootfs-tool unmount ROOT DIR              unmount it, keeping DIR and its row
 *   rootfs-tool umount ROOT DIR TARGET        unmount it, remove DIR and its row
 *
 * An error prints "[ERRNO-NAME] message" on stderr and exits 1; a usage
 * error exits 2. */
#include <stdio.h>
#include <string.h>

#include "rootfs.h"
#include "store.h"

static int fail(const struct scute_err *err)
{
	fprintf(stderr, "[%s] %s\n", strerrorname_np(err->code) ? strerrorname_np(err->code) : "?",
		err->msg);
	return 1;
}

static int run(const char *verb, char **args, struct scute_store *s, struct scute_err *err)
{
	if (!strcmp(verb, "mount"))
		return scute_rootfs_mount(s, args[0], args[1], args[2], err);
	if (!strcmp(verb, "make"))
		return scute_rootfs_make(s, args[0], args[1], args[2], err);
	if (!strcmp(verb, "remount"))
		return scute_rootfs_remount(s, args[0], false, err);
	if (!strcmp(verb, "unmount"))
		return scute_rootfs_unmount(s, args[0], err);
	return scute_rootfs_remove(s, args[0], args[1], err);
}

int main(int argc, char **argv)
{
	struct scute_err err = { 0 };
	struct scute_store s;
	int rc;

	if (!(argc == 6 && (!strcmp(argv[1], "mount") || !strcmp(argv[1], "make"))) &&
	    !(argc == 4 && (!strcmp(argv[1], "remount") || !strcmp(argv[1], "unmount"))) &&
	    !(argc == 5 && !strcmp(argv[1], "umount"))) {
		fprintf(stderr, "usage: rootfs-tool mount|make ROOT IMAGE DIR TARGET | "
				"remount|unmount ROOT DIR | umount ROOT DIR TARGET\n");
		return 2;
	}
	if (scute_store_open(argv[2], SCUTE_STORE_WRITE, &s, &err) < 0)
		return fail(&err);
	rc = run(argv[1], argv + 3, &s, &err);
	scute_store_close(&s);
	return rc < 0 ? fail(&err) : 0;
}
