/**
 * What `ftpsctl audit sessions LOG` reports: sessions per profile, TLS versions and ciphers
 * seen, failures by code, from the JSON-lines audit log. Pure: lines in, summary out; a
 * line that is not an audit event is reported with its number, never skipped silently.
 */

export interface ProfileSessions {
  sessions: number;
  succeeded: number;
  failed: number;
  transfers: number;
  bytes: number;
}

export interface SessionLogSummary {
  file: string;
  events: number;
  sessions: number;
  first?: string;
  last?: string;
  profiles: Record<string, ProfileSessions>;
  tlsVersions: Record<string, number>;
  ciphers: Record<string, number>;
  fips: Record<string, number>;
  failuresByCode: Record<string, number>;
  badLines: Array<{ line: number; problem: string }>;
}

interface EventShape {
  '@timestamp'?: string;
  event?: { action?: string; outcome?: string };
  ftpsctl?: { profile?: string; bytes?: number; fips?: string };
  tls?: { version?: string; cipher?: string };
  error?: { code?: string };
}

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export class SessionLogSummariser {
  private readonly summary: SessionLogSummary;
  private lineNumber = 0;

  constructor(file: string) {
    this.summary = { file, events: 0, sessions: 0, profiles: {}, tlsVersions: {}, ciphers: {}, fips: {}, failuresByCode: {}, badLines: [] };
  }

  add(line: string): void {
    this.lineNumber += 1;
    if (line.trim() === '') return;
    let event: EventShape;
    try {
      event = JSON.parse(line) as EventShape;
    } catch {
      this.summary.badLines.push({ line: this.lineNumber, problem: 'not JSON' });
      return;
    }
    const action = event.event?.action;
    const profile = event.ftpsctl?.profile;
    if (typeof action !== 'string' || typeof profile !== 'string') {
      this.summary.badLines.push({ line: this.lineNumber, problem: 'not an ftpsctl audit event (event.action and ftpsctl.profile missing)' });
      return;
    }
    const s = this.summary;
    s.events += 1;
    const time = event['@timestamp'];
    if (time) {
      if (!s.first || time < s.first) s.first = time;
      if (!s.last || time > s.last) s.last = time;
    }
    const perProfile = (s.profiles[profile] ??= { sessions: 0, succeeded: 0, failed: 0, transfers: 0, bytes: 0 });
    switch (action) {
      case 'session.start':
        s.sessions += 1;
        perProfile.sessions += 1;
        break;
      case 'tls.established':
        if (event.tls?.version) bump(s.tlsVersions, `TLS ${event.tls.version}`);
        if (event.tls?.cipher) bump(s.ciphers, event.tls.cipher);
        if (event.ftpsctl?.fips) bump(s.fips, event.ftpsctl.fips);
        break;
      case 'transfer':
        perProfile.transfers += 1;
        perProfile.bytes += event.ftpsctl?.bytes ?? 0;
        break;
      case 'session.end':
        if (event.event?.outcome === 'failure') {
          perProfile.failed += 1;
          bump(s.failuresByCode, event.error?.code ?? 'unknown');
        } else perProfile.succeeded += 1;
        break;
      default:
        s.badLines.push({ line: this.lineNumber, problem: `unknown event.action ${JSON.stringify(action)}` });
    }
  }

  result(): SessionLogSummary {
    return this.summary;
  }
}

export function summariseSessionLog(file: string, text: string): SessionLogSummary {
  const summariser = new SessionLogSummariser(file);
  for (const line of text.split('\n')) summariser.add(line);
  return summariser.result();
}
