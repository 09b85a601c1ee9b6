#include "scute.h"

#include <time.h>

#include "cgroups.h"
#include "container.h"

#define TICK_MS 100

int scute_container_events(const char *root, const char *id, long interval_ms, bool once,
			   scute_event_fn fn, void *arg, struct scute_err *err)
{
	struct timespec tick = { 0, TICK_MS * 1000L * 1000 };
	struct scute_state st;
	unsigned long long ooms, now;
	long since = 0;

	if (scute_container_load(root, id, &st, err) < 0)
		return -1;
	if (once) {
		fn("stats", st.id, scute_cgroup_stats(&st.cgroup), arg);
		scute_state_free(&st);
		return 0;
	}
	ooms = scute_cgroup_oom_kills(&st.cgroup);
	while (scute_state_status(&st) != SCUTE_STOPPED) {
		now = scute_cgroup_oom_kills(&st.cgroup);
		if (now > ooms)
			fn("oom", st.id, NULL, arg);
		ooms = now;
		if ((since += TICK_MS) >= interval_ms) {
			fn("stats", st.id, scute_cgroup_stats(&st.cgroup), arg);
			since = 0;
		}
		nanosleep(&tick, NULL);
	}
	if (scute_cgroup_oom_kills(&st.cgroup) > ooms)
		fn("oom", st.id, NULL, arg);
	scute_state_free(&st);
	return 0;
}
