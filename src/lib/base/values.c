#include "values.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* One or more decimal digits at *p, not above limit; *p moves past them.
 * No sign, no spaces: strtol's leniency ("  +12") is not wanted here. */
static int digits(const char **p, uint64_t limit, uint64_t *out)
{
	uint64_t v = 0;
	const char *c = *p;

	if (*c < '0' || *c > '9')
		return -1;
	for (; *c >= '0' && *c <= '9'; c++) {
		unsigned d = (unsigned)(*c - '0');
		if (d > limit || v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*p = c;
	*out = v;
	return 0;
}

int scute_parse_int(const char *s, int64_t min, int64_t max, int64_t *out, struct scute_err *err)
{
	const char *p = s;
	bool neg = min < 0 && *p == '-';
	uint64_t v;

	p += neg;
	if (digits(&p, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &v) < 0 || *p)
		return scute_err_set(err, EINVAL, "\"%s\" is not a whole number", s);
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	if (*out < min || *out > max)
		return scute_err_set(err, EINVAL, "%s is out of range [%lld, %lld]", s,
				     (long long)min, (long long)max);
	return 0;
}

/* The fraction after a '.', as num / den; digits past the 18th are
 * dropped (sizes are truncated to whole bytes anyway). */
static int fraction(const char **p, uint64_t *num, uint64_t *den)
{
	const char *c = *p;

	*num = 0;
	*den = 1;
	if (*c < '0' || *c > '9')
		return -1;
	for (; *c >= '0' && *c <= '9'; c++)
		if (*den < 1000000000000000000ULL) {
			*num = *num * 10 + (unsigned)(*c - '0');
			*den *= 10;
		}
	*p = c;
	return 0;
}

/* "", "b", "k", "kb", "kib", ... (any case): the power of 1024, or -1. */
static int unit_power(const char *u)
{
	static const char units[] = "kmgtp";
	const char *hit = *u ? strchr(units, *u | 0x20) : NULL;
	int power = 0;

	if (hit) {
		power = (int)(hit - units) + 1;
		u++;
		if ((*u | 0x20) == 'i')
			u++;
	}
	if ((*u | 0x20) == 'b')
		u++;
	return *u ? -1 : power;
}

int scute_parse_size(const char *s, int64_t *out, struct scute_err *err)
{
	const char *p = s;
	uint64_t whole, num = 0, den = 1, mult = 1;
	unsigned __int128 bytes;
	int power;

	if (strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	if (digits(&p, UINT64_MAX, &whole) < 0 ||
	    (*p == '.' && (p++, fraction(&p, &num, &den) < 0)))
		goto bad;
	if (*p == ' ' && p[1])
		p++;
	power = unit_power(p);
	if (power < 0)
		goto bad;
	while (power--)
		mult *= 1024;
	bytes = (unsigned __int128)whole * mult + (unsigned __int128)num * mult / den;
	if (bytes > INT64_MAX)
		return scute_err_set(err, EINVAL, "\"%s\" is too large", s);
	*out = (int64_t)bytes;
	return 0;
bad:
	return scute_err_set(err, EINVAL, "\"%s\" is not a size (like 4096, 512m or 1.5g)", s);
}

/* The length of a duration unit at p and its size in microseconds, or 0. */
static size_t duration_unit(const char *p, uint64_t *us)
{
	static const struct {
		const char *name;
		uint64_t us;
	} units[] = { { "ms", 1000 },
		      { "us", 1 },
		      { "\u00b5s", 1 },
		      { "s", 1000ULL * 1000 },
		      { "m", 60ULL * 1000 * 1000 },
		      { "h", 3600ULL * 1000 * 1000 } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].name);
		if (strncmp(p, units[i].name, n) == 0) {
			*us = units[i].us;
			return n;
		}
	}
	return 0;
}

int scute_parse_duration_ms(const char *s, int64_t *out, struct scute_err *err)
{
	const char *p = s;
	unsigned __int128 us = 0;
	uint64_t whole;

	/* A bare number is seconds; otherwise Go's form, each part with its
	 * unit ("1m30s", "1.5h", "250ms"). */
	if (digits(&p, UINT32_MAX, &whole) == 0 && !*p) {
		us = (unsigned __int128)whole * 1000 * 1000;
	} else {
		for (p = s; *p;) {
			uint64_t num = 0, den = 1, unit;
			size_t n;
			if (digits(&p, UINT32_MAX, &whole) < 0 ||
			    (*p == '.' && (p++, fraction(&p, &num, &den) < 0)) ||
			    !(n = duration_unit(p, &unit)))
				goto bad;
			p += n;
			us += (unsigned __int128)whole * unit + (unsigned __int128)num * unit / den;
			if (us > (unsigned __int128)INT64_MAX)
				return scute_err_set(err, EINVAL, "\"%s\" is too long", s);
		}
	}
	if (us < 1000)
		goto bad;
	*out = (int64_t)(us / 1000);
	return 0;
bad:
	return scute_err_set(err, EINVAL,
			     "\"%s\" is not a duration of 1 ms or more (like 5s, 500ms or 1m30s)",
			     s);
}

int scute_parse_cpu_list(const char *s, struct scute_err *err)
{
	const char *p = s;

	while (*p) {
		uint64_t lo, hi;
		if (digits(&p, 65535, &lo) < 0)
			goto bad;
		hi = lo;
		if (*p == '-' && (p++, digits(&p, 65535, &hi) < 0))
			goto bad;
		if (hi < lo)
			return scute_err_set(err, EINVAL,
					     "\"%s\": the range %llu-%llu runs backwards", s,
					     (unsigned long long)lo, (unsigned long long)hi);
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			goto bad;
	}
	return 0;
bad:
	return scute_err_set(err, EINVAL, "\"%s\" is not a CPU or node list (like 0-3,8)", s);
}

/* RTMIN, RTMIN+N, RTMAX, RTMAX-N (after any "SIG"): glibc's numbering, as
 * kill(1) and docker use it. */
static int realtime_signal(const char *name)
{
	bool min = strncasecmp(name, "RTMIN", 5) == 0;
	const char *p = name + 5;
	uint64_t off = 0;

	if (!min && strncasecmp(name, "RTMAX", 5) != 0)
		return -1;
	if (*p && (*p != (min ? '+' : '-') || (p++, digits(&p, 64, &off) < 0) || *p))
		return -1;
	if ((int64_t)off > SIGRTMAX - SIGRTMIN)
		return -1;
	return min ? SIGRTMIN + (int)off : SIGRTMAX - (int)off;
}

int scute_parse_signal(const char *s, int *sig, struct scute_err *err)
{
	const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	int64_t n = 0;

	if (*s >= '0' && *s <= '9') {
		if (scute_parse_int(s, 1, NSIG - 1, &n, err) < 0)
			return scute_err_prefix(err, "signal");
		*sig = (int)n;
		return 0;
	}
	*sig = realtime_signal(name);
	for (int i = 1; *sig < 0 && i < SIGRTMIN; i++) {
		const char *abbrev = sigabbrev_np(i);
		if (abbrev && strcasecmp(abbrev, name) == 0)
			*sig = i;
	}
	if (*sig < 0)
		return scute_err_set(err, EINVAL, "\"%s\" is not a signal name or number", s);
	return 0;
}

int scute_parse_user(const char *s, uid_t *uid, gid_t *gid, struct scute_err *err)
{
	const char *p = s;
	uint64_t u, g = 0;

	if (digits(&p, UINT32_MAX - 1, &u) < 0 ||
	    (*p == ':' && (p++, digits(&p, UINT32_MAX - 1, &g) < 0)) || *p)
		return scute_err_set(err, EINVAL, "\"%s\" is not UID[:GID] (numbers below %u)", s,
				     UINT32_MAX);
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return 0;
}

bool scute_parse_line_u63(const char *line, int64_t max, int64_t *out)
{
	char buf[32];
	size_t n = strcspn(line, "\n");
	struct scute_err ignored;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return scute_parse_int(buf, 0, max, out, &ignored) == 0;
}

bool scute_parse_line_hex64(const char *line, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = strcspn(line, "\n");

	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = line[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}
