#include "layer_store.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "remove_tree.h"
#include "unpack.h"

int scute_layer_tmp(struct scute_store *s, char name[SCUTE_STORE_TMP_NAME_MAX],
		    struct scute_err *err)
{
	int fd = scute_store_tmp_dir(s->blobs.tmpfd, name, err);

	return fd < 0 ? scute_err_prefix(err, "layer store") : fd;
}

void scute_layer_tmp_discard(struct scute_store *s, const char *name)
{
	struct scute_err ignored;

	/* what stays (an error here) the next sweep removes */
	scute_remove_tree_at(s->blobs.tmpfd, name, &ignored);
}

int scute_layer_lock(struct scute_store *s, const struct scute_digest *chain_id,
		     struct scute_err *err)
{
	auto_fd int dirfd = scute_store_subdir(s->rootfd, "locks", err);
	auto_fd int fd = -1;
	char name[16];

	if (dirfd < 0)
		return scute_err_prefix(err, "layer store");
	snprintf(name, sizeof(name), "layer-%.2s", scute_digest_hex(chain_id));
	/* never removed, so every process locks the same inode */
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0)
		return scute_err_sys(err, "layer store: open lock %s", name);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return scute_err_sys(err, "layer store: lock %s", name);
	return scute_take_fd(&fd);
}

int scute_layer_known(struct scute_store *s, const struct scute_digest *chain_id,
		      struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM layers WHERE chain_id = ?", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, chain_id->str, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(s->db, err, "layer %s", chain_id->str);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	return scute_db_err(s->db, err, "layer %s", chain_id->str);
}

int scute_layer_place(struct scute_store *s, const char *name, const struct scute_digest *chain_id,
		      struct scute_err *err)
{
	const char *hex = scute_digest_hex(chain_id);

	if (renameat(s->blobs.tmpfd, name, s->layersfd, hex) == 0)
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return scute_err_sys(err, "layer %s: place", chain_id->str);
	/* the caller holds the lock and saw no row: a crash's leftover */
	if (scute_remove_tree_at(s->layersfd, hex, err) < 0)
		return scute_err_prefix(err, "layer %s: replace a leftover", chain_id->str);
	if (renameat(s->blobs.tmpfd, name, s->layersfd, hex) < 0)
		return scute_err_sys(err, "layer %s: place", chain_id->str);
	return 0;
}

int scute_layer_open(struct scute_store *s, const struct scute_digest *chain_id,
		     struct scute_err *err)
{
	int fd = openat(s->layersfd, scute_digest_hex(chain_id),
			O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return scute_err_sys(err, "layer %s", chain_id->str);
	return fd;
}

int scute_layer_unpack_stream(struct scute_store *s, const struct scute_layer_stream *in,
			      char tmp[SCUTE_STORE_TMP_NAME_MAX], int *tmpfd,
			      struct scute_digest *blob, struct scute_unpack_result *res,
			      struct scute_err *err)
{
	struct scute_blob_writer *w = scute_blob_create(&s->blobs, err);
	struct scute_unpack_opts o = { SCUTE_COMPRESSION_DETECT, in->max_size, w, in->what };

	tmp[0] = '\0';
	if (!w)
		return scute_err_prefix(err, "%s", in->what);
	*tmpfd = scute_layer_tmp(s, tmp, err);
	if (*tmpfd < 0) {
		tmp[0] = '\0';
		scute_blob_abort(w);
		return scute_err_prefix(err, "%s", in->what);
	}
	if (scute_layer_unpack(*tmpfd, in->src, &o, res, err) < 0) {
		scute_blob_abort(w);
		return -1;
	}
	if (scute_blob_commit(w, in->expected, in->expected_size, blob, err) < 0)
		return scute_err_prefix(err, "%s", in->what);
	return 0;
}

int scute_layer_unpack_blob(struct scute_store *s, const struct scute_digest *blob,
			    const struct scute_digest *diff_id, int64_t max_size,
			    char name[SCUTE_STORE_TMP_NAME_MAX], struct scute_err *err)
{
	auto_fd int bfd = scute_blob_open(&s->blobs, blob, err);
	auto_fd int dfd = -1;
	struct scute_layer_source src = { scute_layer_read_fd, &bfd };
	struct scute_unpack_opts o = { SCUTE_COMPRESSION_DETECT, max_size, NULL, blob->str };
	struct scute_unpack_result res;

	if (bfd < 0 || (dfd = scute_layer_tmp(s, name, err)) < 0)
		return -1;
	if (scute_layer_unpack(dfd, &src, &o, &res, err) < 0) {
		scute_layer_tmp_discard(s, name);
		return -1;
	}
	if (strcmp(res.diff_id.str, diff_id->str) != 0) {
		scute_layer_tmp_discard(s, name);
		return scute_err_set(err, EBADMSG, "blob %s: diff_id %s, not %s", blob->str,
				     res.diff_id.str, diff_id->str);
	}
	return scute_take_fd(&dfd);
}
