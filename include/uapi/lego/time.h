/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_TIME_H
#define _UAPI_LEGO_TIME_H

/*
 * Linux x86-64 layouts of the time, resource and identity system calls:
 * timespec, timeval, clock ids, times, getrusage, sysinfo, uname (ABI:
 * never change).
 */
#include <lego/types.h>

struct timespec_abi {
	s64 tv_sec;
	s64 tv_nsec;
};

struct timeval_abi {
	s64 tv_sec;
	s64 tv_usec;
};

struct timezone_abi {
	int tz_minuteswest;
	int tz_dsttime;
};

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_TAI			11

#define TIMER_ABSTIME			1

struct tms_abi {
	s64 tms_utime;
	s64 tms_stime;
	s64 tms_cutime;
	s64 tms_cstime;
};

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

struct rusage_abi {
	struct timeval_abi ru_utime;
	struct timeval_abi ru_stime;
	s64 ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	s64 ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

struct sysinfo_abi {
	s64 uptime;
	u64 loads[3];
	u64 totalram;
	u64 freeram;
	u64 sharedram;
	u64 bufferram;
	u64 totalswap;
	u64 freeswap;
	u16 procs;
	u16 pad;
	u64 totalhigh;
	u64 freehigh;
	u32 mem_unit;
	char _f[4];
};

#define UTS_LEN		65
struct utsname_abi {
	char sysname[UTS_LEN];
	char nodename[UTS_LEN];
	char release[UTS_LEN];
	char version[UTS_LEN];
	char machine[UTS_LEN];
	char domainname[UTS_LEN];
};

#endif
