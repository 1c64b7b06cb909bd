/** What one readiness probe of a freshly started proxy found. */
export type ProxyProbeOutcome =
  | { kind: 'ready' }
  /** Something answered on the port, but not our proxy (another process took the port). */
  | { kind: 'other-server'; detail: string }
  | { kind: 'no-answer'; reason: string };

/** One attempt against 127.0.0.1:port, settling within `timeoutMs`. */
export type ProxyProbe = (port: number, timeoutMs: number) => Promise<ProxyProbeOutcome>;
