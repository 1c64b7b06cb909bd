/**
 * Preloaded (`node --require`) into a child ftpsctl by measure-cli.ts: on exit, writes the
 * process's own resource use to $FTPSCTL_MEASURE_FILE as JSON: process.resourceUsage()
 * (maxRSS in KiB, CPU in µs) and, on Linux, VmHWM from /proc/self/status (KiB).
 *
 * Why both: on Linux, getrusage's maxRSS of a child that was forked and exec'd starts at the
 * parent's RSS at fork time (the kernel folds the old mm's high-water mark into
 * signal->maxrss at execve), so a child of a 300 MiB jest worker reports >= 300 MiB however
 * little it used (measured: 304 MiB vs VmHWM 39 MiB). VmHWM is the peak of the child's own
 * address space only.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const target = process.env.FTPSCTL_MEASURE_FILE;
if (target) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    let vmHwmKiB;
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) vmHwmKiB = Number(match[1]);
    } catch {
      // not Linux
    }
    writeFileSync(
      target,
      JSON.stringify({
        exitCode: code,
        maxRssKiB: usage.maxRSS,
        vmHwmKiB,
        userCpuUs: usage.userCPUTime,
        systemCpuUs: usage.systemCPUTime,
      }),
    );
  });
}
