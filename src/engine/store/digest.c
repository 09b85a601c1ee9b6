#include "digest.h"

#include <errno.h>
#include <stdio.h>
#include <nettle/sha2.h>
#include <string.h>
#include <unistd.h>

/* The value as an error may show it: untrusted text, so at most 80
 * characters and nothing a terminal would act on. */
static void printable(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 4 < size && n < 80; s++) {
		char c = *s;

		if (c < 0x20 || c == 0x7f)
			c = '?';
		out[n++] = c;
	}
	if (*s)
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
}

static bool lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int scute_digest_parse(const char *s, struct scute_digest *out, struct scute_err *err)
{
	const size_t plen = sizeof(SCUTE_DIGEST_PREFIX) - 1;
	char shown[96];
	bool ok = strncmp(s, SCUTE_DIGEST_PREFIX, plen) == 0 && strlen(s) == SCUTE_DIGEST_LEN;

	for (size_t i = plen; ok && i < SCUTE_DIGEST_LEN; i++)
		ok = lower_hex(s[i]);
	if (!ok) {
		printable(s, shown, sizeof(shown));
		return scute_err_set(
			err, EINVAL,
			"invalid digest \"%s\": want \"sha256:\" and 64 lowercase hex digits",
			shown);
	}
	memcpy(out->str, s, SCUTE_DIGEST_LEN + 1);
	return 0;
}

void scute_digest_from_sha256(const uint8_t raw[SCUTE_SHA256_SIZE], struct scute_digest *out)
{
	static const char hex[] = "0123456789abcdef";
	char *p = out->str + sizeof(SCUTE_DIGEST_PREFIX) - 1;

	memcpy(out->str, SCUTE_DIGEST_PREFIX, sizeof(SCUTE_DIGEST_PREFIX) - 1);
	for (size_t i = 0; i < SCUTE_SHA256_SIZE; i++) {
		*p++ = hex[raw[i] >> 4];
		*p++ = hex[raw[i] & 0xf];
	}
	*p = '\0';
}

void scute_digest_of(const void *buf, size_t len, struct scute_digest *out)
{
	struct sha256_ctx ctx;
	uint8_t raw[SCUTE_SHA256_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, buf);
	sha256_digest(&ctx, sizeof(raw), raw);
	scute_digest_from_sha256(raw, out);
}

int scute_digest_of_fd(int fd, struct scute_digest *out, int64_t *len, struct scute_err *err)
{
	struct sha256_ctx ctx;
	uint8_t raw[SCUTE_SHA256_SIZE], buf[1 << 16];
	int64_t off = 0;
	ssize_t n;

	sha256_init(&ctx);
	while ((n = pread(fd, buf, sizeof(buf), (off_t)off)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return scute_err_sys(err, "read");
		sha256_update(&ctx, (size_t)n, buf);
		off += n;
	}
	sha256_digest(&ctx, sizeof(raw), raw);
	scute_digest_from_sha256(raw, out);
	*len = off;
	return 0;
}

void scute_chain_id(const struct scute_digest *parent, const struct scute_digest *diff_id,
		    struct scute_digest *out)
{
	char buf[2 * SCUTE_DIGEST_LEN + 2];

	if (!parent) {
		*out = *diff_id;
		return;
	}
	snprintf(buf, sizeof(buf), "%s %s", parent->str, diff_id->str);
	scute_digest_of(buf, strlen(buf), out);
}
