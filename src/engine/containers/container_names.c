/* Container identity: random IDs, docker's name rule, generated names. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/cleanup.h"
#include "container_store.h"
#include "db.h"

/* Generated names are "ADJECTIVE_NOUN": scute's own words (birds and
 * stones), easy to read and to type. */
static const char *const adjectives[] = {
	"amber",  "brisk",  "calm",   "deft",	"eager",   "fabled", "gentle", "hardy",
	"honest", "jolly",  "keen",   "lively", "lucid",   "mellow", "nimble", "noble",
	"plucky", "polite", "quiet",  "rapid",	"serene",  "shrewd", "silent", "sleek",
	"sober",  "solid",  "steady", "stoic",	"sturdy",  "swift",  "tidy",   "upbeat",
	"vivid",  "wary",   "wise",   "witty",	"zealous", "bold",   "clever", "frank",
};
static const char *const nouns[] = {
	"agate",    "basalt",  "bittern", "condor",  "curlew",	"dipper", "egret",  "falcon",
	"feldspar", "finch",   "garnet",  "gannet",  "granite", "grebe",  "heron",  "ibis",
	"jasper",   "kestrel", "kite",	  "lapwing", "marble",	"merlin", "mica",   "onyx",
	"osprey",   "petrel",  "plover",  "quartz",  "raven",	"shale",  "shrike", "slate",
	"swift",    "tern",    "topaz",	  "wagtail", "warbler", "wren",	  "zircon", "opal",
};

#define N_ADJ (sizeof(adjectives) / sizeof(adjectives[0]))
#define N_NOUN (sizeof(nouns) / sizeof(nouns[0]))

int scute_container_new_id(char *id, struct scute_err *err)
{
	unsigned char rnd[SCUTE_CONTAINER_ID_LEN / 2];
	bool digits;

	do {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return scute_err_sys(err, "container ID: getrandom");
		for (size_t i = 0; i < sizeof(rnd); i++)
			snprintf(id + 2 * i, 3, "%02x", rnd[i]);
		digits = strspn(id, "0123456789") >= 12;
	} while (digits);
	return 0;
}

int scute_container_name_check(const char *name, struct scute_err *err)
{
	size_t len = strlen(name);
	static const char ok[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

	if (len < 2 || len > SCUTE_CONTAINER_NAME_MAX || strspn(name, ok) != len ||
	    !isalnum((unsigned char)name[0]))
		return scute_err_set(
			err, EINVAL,
			"invalid container name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] "
			"are allowed, 2 to %d characters",
			name, SCUTE_CONTAINER_NAME_MAX);
	return 0;
}

static int name_taken(sqlite3 *db, const char *name, bool *taken, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM containers WHERE name = ?1", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: containers");
	r = sqlite3_step(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return scute_db_err(db, err, "store: containers");
	*taken = r == SQLITE_ROW;
	return 0;
}

int scute_container_name_generate(sqlite3 *db, char **name, struct scute_err *err)
{
	uint32_t rnd[2];
	char buf[64];

	for (int tries = 0; tries < 64; tries++) {
		bool taken = false;

		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return scute_err_sys(err, "container name: getrandom");
		/* after ten collisions a number too, as the name space fills */
		if (tries < 10)
			snprintf(buf, sizeof(buf), "%s_%s", adjectives[rnd[0] % N_ADJ],
				 nouns[rnd[1] % N_NOUN]);
		else
			snprintf(buf, sizeof(buf), "%s_%s%u", adjectives[rnd[0] % N_ADJ],
				 nouns[rnd[1] % N_NOUN], (unsigned)(rnd[0] >> 8) % 1000);
		if (name_taken(db, buf, &taken, err) < 0)
			return -1;
		if (!taken) {
			*name = strdup(buf);
			return *name ? 0 : scute_err_sys(err, "container name");
		}
	}
	return scute_err_set(err, EEXIST,
			     "container name: no free name found; give one with --name");
}
