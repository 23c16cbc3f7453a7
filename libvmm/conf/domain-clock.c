/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-clock.c: <clock offset adjustment basis timezone start> and its
 * <timer name present tickpolicy track mode frequency> children with
 * <catchup threshold slew limit>.
 */
#include <errno.h>

#include "domain-priv.h"

static const char *const offset_table[_VMM_DOMAIN_CLOCK_MAX] = {
        [VMM_DOMAIN_CLOCK_UTC] = "utc",
        [VMM_DOMAIN_CLOCK_LOCALTIME] = "localtime",
        [VMM_DOMAIN_CLOCK_TIMEZONE] = "timezone",
        [VMM_DOMAIN_CLOCK_VARIABLE] = "variable",
        [VMM_DOMAIN_CLOCK_ABSOLUTE] = "absolute",
};
static const char *const basis_table[] = {"utc", "localtime"};
static const char *const timer_name_table[_VMM_DOMAIN_TIMER_MAX] = {
        [VMM_DOMAIN_TIMER_PLATFORM] = "platform",
        [VMM_DOMAIN_TIMER_PIT] = "pit",
        [VMM_DOMAIN_TIMER_RTC] = "rtc",
        [VMM_DOMAIN_TIMER_HPET] = "hpet",
        [VMM_DOMAIN_TIMER_TSC] = "tsc",
        [VMM_DOMAIN_TIMER_KVMCLOCK] = "kvmclock",
        [VMM_DOMAIN_TIMER_HYPERVCLOCK] = "hypervclock",
        [VMM_DOMAIN_TIMER_ARMVTIMER] = "armvtimer",
};
static const char *const tickpolicy_table[_VMM_DOMAIN_TICK_MAX] = {
        [VMM_DOMAIN_TICK_DELAY] = "delay",
        [VMM_DOMAIN_TICK_CATCHUP] = "catchup",
        [VMM_DOMAIN_TICK_MERGE] = "merge",
        [VMM_DOMAIN_TICK_DISCARD] = "discard",
};
static const char *const track_table[] = {"boot", "guest", "wall", "realtime"};
static const char *const timer_mode_table[] = {"auto", "native", "emulate", "paravirt", "smpsafe"};

#define N(t) ((int)ARRAY_SIZE(t))

static int clock_parse_catchup(xmlNodePtr node, VmmDomainTimer *t, VmmError *error)
{
        static const char *const attrs[] = {"threshold", "slew", "limit", NULL};
        int r;

        t->has_catchup = true;
        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_uint(node, "threshold", &t->catchup_threshold, error);
        if (r >= 0)
                r = vmm_xml_prop_uint(node, "slew", &t->catchup_slew, error);
        if (r >= 0)
                r = vmm_xml_prop_uint(node, "limit", &t->catchup_limit, error);
        return r < 0 ? r : 0;
}

static int clock_parse_timer(xmlNodePtr node, VmmDomainTimer *t, VmmError *error)
{
        static const char *const children[] = {"catchup", NULL};
        static const char *const attrs[] = {"name", "present",   "tickpolicy", "track",
                                            "mode", "frequency", NULL};
        xmlNodePtr c;
        int r;

        t->present = t->tickpolicy = t->track = t->mode = DOMAIN_ABSENT;
        r = vmm_domain_util_check(node, children, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "name", timer_name_table, N(timer_name_table), &t->name,
                                      error);
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'name' (expected e.g. name='rtc')");
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "present", &t->present, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "tickpolicy", tickpolicy_table, N(tickpolicy_table),
                                      &t->tickpolicy, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "track", track_table, N(track_table), &t->track, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "mode", timer_mode_table, N(timer_mode_table), &t->mode,
                                      error);
        if (r >= 0)
                r = vmm_xml_prop_uint64(node, "frequency", &t->frequency, error);
        if (r >= 0 && (c = vmm_xml_child(node, "catchup")))
                r = clock_parse_catchup(c, t, error);
        return r < 0 ? r : 0;
}

static int clock_parse_adjustment(xmlNodePtr node, VmmDomainClock *clock, VmmError *error)
{
        const char *s;
        char *end;

        if (!vmm_domain_util_str(node, "adjustment", &clock->adjustment))
                return 0;
        s = clock->adjustment;
        if (strcmp(s, "reset") == 0)
                return 0;
        errno = 0;
        (void)strtoll(s, &end, 10);
        if (!*s || *end || errno)
                return vmm_xml_attr_error(error, node, "adjustment",
                                          "\"%s\" is not valid (expected \"reset\" or a number "
                                          "of seconds such as \"-3600\")",
                                          s);
        return 0;
}

int vmm_domain_clock_parse(xmlNodePtr node, unsigned int flags, VmmDomainClock *clock,
                           VmmError *error)
{
        static const char *const children[] = {"timer", NULL};
        static const char *const attrs[] = {"offset",   "adjustment", "basis",
                                            "timezone", "start",      NULL};
        int r;

        clock->present = true;
        r = vmm_xml_check_node(node, children, attrs, flags, &clock->unknown, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "offset", offset_table, N(offset_table), &clock->offset,
                                      error);
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'offset' (expected e.g. offset='utc')");
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "basis", basis_table, N(basis_table), &clock->basis,
                                      error);
        if (r >= 0)
                r = vmm_xml_prop_uint64(node, "start", &clock->start, error);
        clock->has_start = r > 0;
        if (r >= 0)
                r = clock_parse_adjustment(node, clock, error);
        if (r < 0)
                return r;
        vmm_domain_util_str(node, "timezone", &clock->timezone);
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmDomainTimer *t;

                if (!vmm_xml_is(c, "timer"))
                        continue;
                t = vmm_domain_util_grow(&clock->timers, &clock->n_timers, sizeof(*t));
                if (!t)
                        return vmm_error_oom(error);
                r = clock_parse_timer(c, t, error);
                if (r < 0)
                        return r;
                for (size_t i = 0; i + 1 < clock->n_timers; i++)
                        if (clock->timers[i].name == t->name)
                                return vmm_xml_error(error, c, "timer '%s' given twice",
                                                     timer_name_table[t->name]);
        }
        return 0;
}

static void clock_format_timer(const VmmDomainTimer *t, xmlNodePtr parent)
{
        xmlNodePtr n = vmm_xml_new_child(parent, "timer", NULL);

        vmm_xml_set_prop(n, "name", timer_name_table[t->name]);
        vmm_domain_util_set_enum(n, "tickpolicy", tickpolicy_table, N(tickpolicy_table),
                                 t->tickpolicy);
        vmm_domain_util_set_enum(n, "track", track_table, N(track_table), t->track);
        vmm_domain_util_set_enum(n, "mode", timer_mode_table, N(timer_mode_table), t->mode);
        if (t->frequency)
                vmm_domain_util_set_u64(n, "frequency", t->frequency);
        vmm_domain_util_set_tristate(n, "present", t->present, false);
        if (t->has_catchup) {
                xmlNodePtr c = vmm_xml_new_child(n, "catchup", NULL);

                if (t->catchup_threshold)
                        vmm_domain_util_set_uint(c, "threshold", t->catchup_threshold);
                if (t->catchup_slew)
                        vmm_domain_util_set_uint(c, "slew", t->catchup_slew);
                if (t->catchup_limit)
                        vmm_domain_util_set_uint(c, "limit", t->catchup_limit);
        }
}

void vmm_domain_clock_format(const VmmDomainClock *clock, xmlNodePtr parent)
{
        xmlNodePtr node;

        if (!clock->present)
                return;
        node = vmm_xml_new_child(parent, "clock", NULL);
        vmm_domain_util_set_enum(node, "offset", offset_table, N(offset_table), clock->offset);
        vmm_xml_set_prop(node, "adjustment", clock->adjustment);
        vmm_domain_util_set_enum(node, "basis", basis_table, N(basis_table), clock->basis);
        vmm_xml_set_prop(node, "timezone", clock->timezone);
        if (clock->has_start)
                vmm_domain_util_set_u64(node, "start", clock->start);
        for (size_t i = 0; i < clock->n_timers; i++)
                clock_format_timer(&clock->timers[i], node);
        vmm_xml_unknown_format(&clock->unknown, node);
}

static bool clock_timer_equal(const VmmDomainTimer *a, const VmmDomainTimer *b, char **diff)
{
        return d_eq_str(diff, "clock timer", timer_name_table[a->name],
                        timer_name_table[b->name]) &&
               d_eq_int(diff, "clock timer present", a->present, b->present) &&
               d_eq_int(diff, "clock timer tickpolicy", a->tickpolicy, b->tickpolicy) &&
               d_eq_int(diff, "clock timer track", a->track, b->track) &&
               d_eq_int(diff, "clock timer mode", a->mode, b->mode) &&
               d_eq_u64(diff, "clock timer frequency", a->frequency, b->frequency) &&
               d_eq_int(diff, "clock timer catchup", a->has_catchup, b->has_catchup) &&
               d_eq_int(diff, "clock timer catchup threshold", a->catchup_threshold,
                        b->catchup_threshold) &&
               d_eq_int(diff, "clock timer catchup slew", a->catchup_slew, b->catchup_slew) &&
               d_eq_int(diff, "clock timer catchup limit", a->catchup_limit, b->catchup_limit);
}

bool vmm_domain_clock_equal(const VmmDomainClock *a, const VmmDomainClock *b, char **diff)
{
        if (!d_eq_int(diff, "clock", a->present, b->present) ||
            !d_eq_str(diff, "clock offset",
                      vmm_enum_to_string(offset_table, N(offset_table), a->offset),
                      vmm_enum_to_string(offset_table, N(offset_table), b->offset)) ||
            !d_eq_str(diff, "clock adjustment", a->adjustment, b->adjustment) ||
            !d_eq_int(diff, "clock basis", a->basis, b->basis) ||
            !d_eq_str(diff, "clock timezone", a->timezone, b->timezone) ||
            !d_eq_int(diff, "clock start", a->has_start, b->has_start) ||
            !d_eq_u64(diff, "clock start", a->start, b->start) ||
            !d_eq_int(diff, "clock timers", (long long)a->n_timers, (long long)b->n_timers))
                return false;
        for (size_t i = 0; i < a->n_timers; i++)
                if (!clock_timer_equal(&a->timers[i], &b->timers[i], diff))
                        return false;
        return d_eq_unknown(diff, "clock unknown content", &a->unknown, &b->unknown);
}

void vmm_domain_clock_done(VmmDomainClock *clock)
{
        free(clock->adjustment);
        free(clock->timezone);
        free(clock->timers);
        vmm_xml_unknown_done(&clock->unknown);
        memset(clock, 0, sizeof(*clock));
        clock->offset = clock->basis = DOMAIN_ABSENT;
}
