#include "cgroups_convert.h"

#include <stdio.h>

/* Map [lo, hi] linearly onto v2's [1, 10000], clamping outside values. */
static uint64_t to_v2_weight(uint64_t v, uint64_t lo, uint64_t hi)
{
	v = v < lo ? lo : v > hi ? hi : v;
	return 1 + ((v - lo) * 9999) / (hi - lo);
}

uint64_t scute_shares_to_weight(uint64_t shares)
{
	return to_v2_weight(shares, 2, 262144);
}

uint64_t scute_blkio_to_io_weight(uint64_t weight)
{
	return to_v2_weight(weight, 10, 1000);
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
