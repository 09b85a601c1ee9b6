/* Sizes and times as docker prints them (cli_units.h). */
#include "cli_units.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cli_human_size(double bytes, int precision, char *out, size_t size)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
	size_t u = 0;

	while (bytes >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1000;
		u++;
	}
	/* C's %g is Go's here: both give "1e+03" for 999.9995 at 3 digits */
	snprintf(out, size, "%.*g%s", precision, bytes, units[u]);
}

void cli_human_duration(int64_t seconds, char *out, size_t size)
{
	int64_t minutes = seconds / 60;
	/* go-units rounds hours to the nearest */
	int64_t hours = (seconds + 1800) / 3600;

	if (seconds < 1)
		snprintf(out, size, "Less than a second");
	else if (seconds == 1)
		snprintf(out, size, "1 second");
	else if (seconds < 60)
		snprintf(out, size, "%lld seconds", (long long)seconds);
	else if (minutes == 1)
		snprintf(out, size, "About a minute");
	else if (minutes < 60)
		snprintf(out, size, "%lld minutes", (long long)minutes);
	else if (hours == 1)
		snprintf(out, size, "About an hour");
	else if (hours < 48)
		snprintf(out, size, "%lld hours", (long long)hours);
	else if (hours < 24LL * 7 * 2)
		snprintf(out, size, "%lld days", (long long)(hours / 24));
	else if (hours < 24LL * 30 * 2)
		snprintf(out, size, "%lld weeks", (long long)(hours / 24 / 7));
	else if (hours < 24LL * 365 * 2)
		snprintf(out, size, "%lld months", (long long)(hours / 24 / 30));
	else
		snprintf(out, size, "%lld years", (long long)(seconds / 3600 / 24 / 365));
}

void cli_human_since(int64_t t, int64_t now, char *out, size_t size)
{
	char d[48];

	cli_human_duration(now - t, d, sizeof(d));
	snprintf(out, size, "%s ago", d);
}

static int local(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	/* localtime_r need not read TZ; tzset makes it, again only when TZ
	 * changed (each call stats /etc/localtime: a listing of many rows
	 * paid for it per row) */
	static char last_tz[256];
	static bool tz_set;
	const char *tz = getenv("TZ");

	if (!tz_set || strncmp(last_tz, tz ? tz : "", sizeof(last_tz)) != 0) {
		tzset();
		snprintf(last_tz, sizeof(last_tz), "%s", tz ? tz : "");
		tz_set = true;
	}
	return localtime_r(&tt, tm) ? 0 : -1;
}

void cli_time_string(int64_t t, char *out, size_t size)
{
	struct tm tm;

	if (local(t, &tm) < 0 || !strftime(out, size, "%Y-%m-%d %H:%M:%S %z %Z", &tm))
		snprintf(out, size, "%lld", (long long)t);
}

void cli_time_rfc3339(int64_t t, char *out, size_t size)
{
	struct tm tm;
	char zone[8];
	long off;

	if (local(t, &tm) < 0 || !strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(out, size, "%lld", (long long)t);
		return;
	}
	off = tm.tm_gmtoff / 60;
	if (off == 0)
		snprintf(zone, sizeof(zone), "Z");
	else
		snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+',
			 (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
	snprintf(out + strlen(out), size - strlen(out), "%s", zone);
}
