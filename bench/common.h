/* Shared by the bench programs: a monotonic clock, sleeping, raising the
   descriptor limit, and the resource figures they print. */
#ifndef NNRS_BENCH_COMMON_H
#define NNRS_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/time.h>

static uint64_t bench_now_us (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000 + (uint64_t) t.tv_nsec / 1000;
}

static void bench_sleep_us (long us)
{
    struct timespec t;
    t.tv_sec = us / 1000000;
    t.tv_nsec = (us % 1000000) * 1000;
    nanosleep (&t, NULL);
}

/* Raises the soft RLIMIT_NOFILE to the hard limit: a thousand sockets and
   their connections need more than the usual 1024 descriptors. */
static void bench_raise_nofile (void)
{
    struct rlimit r;
    if (getrlimit (RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit (RLIMIT_NOFILE, &r);
    }
}

/* Peak resident set size of this process (VmHWM in /proc/self/status:
   the high-water mark of this program's own address space; getrusage's
   ru_maxrss would also count the pre-exec image of a large parent, such
   as the Python that starts us) and its CPU time (user + system, all
   threads). */
static long bench_peak_rss_kib (void)
{
    char line [256];
    long kib = -1;
    FILE *f = fopen ("/proc/self/status", "r");
    if (f) {
        while (fgets (line, sizeof line, f))
            if (strncmp (line, "VmHWM:", 6) == 0) {
                kib = atol (line + 6);
                break;
            }
        fclose (f);
    }
    if (kib < 0) {
        struct rusage ru;
        if (getrusage (RUSAGE_SELF, &ru) == 0)
            kib = ru.ru_maxrss;
    }
    return kib;
}

static void bench_print_rusage (void)
{
    struct rusage ru;
    printf ("peak RSS: %ld [KiB]\n", bench_peak_rss_kib ());
    if (getrusage (RUSAGE_SELF, &ru) != 0)
        return;
    printf ("CPU time: %.3f [s]\n",
        (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
        + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
}

#endif
