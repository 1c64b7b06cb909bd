/**
 * Counts finished client connections in a proxy's own log, for `connectionsSeen()`, leaving
 * out the launcher's readiness probes. Pure functions over the log text, so the formats
 * are tested without a proxy.
 */
import { SOCKS5_PROBE_USER } from './socks5-readiness-probe';
import { SQUID_PROBE_TARGET } from './squid-readiness-probe';

/**
 * squid's native access.log: one line per request, written when it ends (a CONNECT when
 * its tunnel closes), e.g.
 * `1795597356.386 10 127.0.0.1 TCP_TUNNEL/200 99 CONNECT 127.0.0.1:39200 bob HIER_DIRECT/127.0.0.1 -`.
 */
export function countSquidRequests(accessLog: string): number {
  return accessLog
    .split('\n')
    .filter((line) => /^\d+\.\d+\s+\d+\s+\S+\s+\S+\/\d{3}\s/.test(line))
    .filter((line) => !line.includes(` CONNECT ${SQUID_PROBE_TARGET} `)).length;
}

/**
 * dante logs an ended session as `pass(1): tcp/connect ]: ...` or `block(2): tcp/connect ]: ...`
 * (`[` opens a passed session, `]` closes any); a refused login or method as
 * `block(1): tcp/accept ]: ...`.
 */
export function countDanteSessions(log: string): number {
  return log
    .split('\n')
    .filter((line) => /: (pass|block)\(\d+\): tcp\/\w+ \]:/.test(line))
    .filter((line) => !line.includes(`"${SOCKS5_PROBE_USER}"`) && !line.includes(`%${SOCKS5_PROBE_USER}@`)).length;
}
