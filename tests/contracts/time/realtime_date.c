/* CLOCK_REALTIME starts at the real date, not at 1970. */
#include "contract.h"
#include <time.h>

int main(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    say("year >= 2024: %d", tm.tm_year + 1900 >= 2024);
    say("year < 2200: %d", tm.tm_year + 1900 < 2200);
    struct timespec c;
    clock_gettime(CLOCK_REALTIME_COARSE, &c);
    gmtime_r(&c.tv_sec, &tm);
    say("coarse year >= 2024: %d", tm.tm_year + 1900 >= 2024);
    time_t t = time(NULL);
    gmtime_r(&t, &tm);
    say("time() year >= 2024: %d", tm.tm_year + 1900 >= 2024);
    return 0;
}
