#include "cli_units.h"

#include <stdio.h>
#include <time.h>

void cli_human_size(int64_t bytes, char *out, size_t size)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	snprintf(out, size, "%.3g%s", v, units[u]);
}

/* docker's HumanDuration, then " ago" */
void cli_human_since(int64_t t, char *out, size_t size)
{
	int64_t s = (int64_t)time(NULL) - t, m = s / 60, h = (s + 1800) / 3600;

	if (s < 1)
		snprintf(out, size, "Less than a second ago");
	else if (s == 1)
		snprintf(out, size, "1 second ago");
	else if (s < 60)
		snprintf(out, size, "%lld seconds ago", (long long)s);
	else if (m == 1)
		snprintf(out, size, "About a minute ago");
	else if (m < 60)
		snprintf(out, size, "%lld minutes ago", (long long)m);
	else if (h == 1)
		snprintf(out, size, "About an hour ago");
	else if (h < 48)
		snprintf(out, size, "%lld hours ago", (long long)h);
	else if (h < 24 * 7 * 2)
		snprintf(out, size, "%lld days ago", (long long)(h / 24));
	else if (h < 24 * 30 * 2)
		snprintf(out, size, "%lld weeks ago", (long long)(h / 24 / 7));
	else if (h < 24 * 365 * 2)
		snprintf(out, size, "%lld months ago", (long long)(h / 24 / 30));
	else
		snprintf(out, size, "%lld years ago", (long long)(s / 3600 / 24 / 365));
}

void cli_time_string(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm))
		snprintf(out, size, "%lld", (long long)t);
}
