#include "cgroups_convert.h"

#include <stdio.h>

uint64_t scute_shares_to_weight(uint64_t shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t scute_blkio_to_io_weight(uint64_t weight)
{
	if (weight < 10)
		weight = 10;
	if (weight > 1000)
		weight = 1000;
	return 1 + ((weight - 10) * 9999) / 990;
}

int scute_swap_to_v2(int64_t limit, int64_t swap, char *buf, unsigned long len)
{
	if (swap == -1) {
		snprintf(buf, len, "max");
		return 0;
	}
	if (limit <= 0 || swap < limit)
		return -1;
	snprintf(buf, len, "%lld", (long long)(swap - limit));
	return 0;
}
