/**
 * What `ftpsctl audit sessions LOG...` reports, from the JSON-lines audit logs sessions append
 * to (docs/audit-events.md): one record per session (its events joined by
 * `ftpsctl.session_id`), filtered by profile, outcome and time, and counts over the sessions
 * kept (per profile, TLS versions, ciphers, FIPS states, failures by code). Pure: lines in,
 * sessions out. A line that is not an audit event is reported with its file and number, never
 * skipped silently. The same event read from two logs (a session writes every event to each
 * log it names) counts once; a session whose events are spread over several logs is joined.
 */
import { createHash } from 'node:crypto';
import { globMatches } from '../policy/glob';
import { AUDIT_ACTIONS } from '../session/audit-events';

/**
 * success / failure: from session.end; refused: a session.refused event (no connection);
 * incomplete: no end event (still running, or killed), or a session.end with outcome unknown
 * (the process exited without closing the session; `reason` says so).
 */
export type SessionOutcome = 'success' | 'failure' | 'refused' | 'incomplete';
export const SESSION_OUTCOMES: readonly SessionOutcome[] = ['success', 'failure', 'refused', 'incomplete'];

export interface SessionRecord {
  sessionId: string;
  profile: string;
  outcome: SessionOutcome;
  /** ISO 8601: the first event's @timestamp. */
  start?: string;
  /** ISO 8601: the session.end (or session.refused) event's @timestamp. */
  end?: string;
  durationMs?: number;
  server?: string;
  user?: string;
  tlsVersion?: string;
  cipher?: string;
  fips?: string;
  transfers: number;
  failedTransfers: number;
  bytes: number;
  errorCode?: string;
  /** Why a refused session was refused, and the policy and file that refused it. */
  reason?: string;
  refusedBy?: { policy?: string; file?: string };
  resolutionSha256?: string;
  managed?: boolean;
  /** Where its first event is: which log, which line. */
  log: string;
  line: number;
}

export interface ProfileSessions {
  sessions: number;
  succeeded: number;
  failed: number;
  refused: number;
  /** Transfer events, successful and failed. */
  transfers: number;
  /** Of those, the failed ones. */
  failedTransfers: number;
  bytes: number;
}

export interface SessionFilter {
  /** Globs on profile names (`payroll`, `fin-*`); any matches. */
  profiles?: string[];
  outcomes?: SessionOutcome[];
  /** Sessions that started at or after this instant. */
  since?: Date;
  /** Sessions that started before this instant. */
  until?: Date;
}

export interface SessionLogSummary {
  /** The logs read, in order (`-` for standard input). */
  files: string[];
  /** Audit events read (duplicates from a second log not counted). */
  events: number;
  /** Sessions kept by the filter. */
  sessions: number;
  first?: string;
  last?: string;
  profiles: Record<string, ProfileSessions>;
  tlsVersions: Record<string, number>;
  ciphers: Record<string, number>;
  fips: Record<string, number>;
  failuresByCode: Record<string, number>;
  badLines: Array<{ file: string; line: number; problem: string }>;
}

export interface SessionLogReport {
  summary: SessionLogSummary;
  /** The sessions kept, in start order. */
  sessions: SessionRecord[];
  filter: { profiles?: string[]; outcomes?: SessionOutcome[]; since?: string; until?: string };
}

interface EventShape {
  '@timestamp'?: string;
  event?: { action?: string; outcome?: string; duration?: number; reason?: string };
  ftpsctl?: {
    session_id?: string;
    profile?: string;
    bytes?: number;
    fips?: string;
    resolution_sha256?: string;
    managed?: boolean;
    reason?: string;
    refused_by?: { policy?: string; file?: string };
  };
  tls?: { version?: string; cipher?: string };
  error?: { code?: string };
  server?: { address?: string; port?: number };
  user?: { name?: string };
}

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

/**
 * The longest line `audit sessions` reads (4 MiB): an event is a few KiB (session.start with
 * every setting and its source the largest); anything longer is not one (a crash's NUL tail).
 */
export const MAX_AUDIT_LINE_BYTES = 4 * 1024 * 1024;

/** How bad an outcome is: a second session.end under one id never makes a session look better. */
const OUTCOME_SEVERITY: Record<SessionOutcome, number> = { success: 0, incomplete: 1, refused: 2, failure: 3 };

/** Counters keyed by names from the log (profiles, ciphers, error codes): no prototype, so `constructor` is a name like any other. */
function nameTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Collects events into sessions, line by line, over one or more logs. */
export class SessionLogReader {
  private readonly sessions = new Map<string, SessionRecord>();
  /**
   * Every event line read, by its SHA-1: a session writes each event, byte for byte the same
   * line, to every log it names, so a line seen before (in another log) is that copy. Events of
   * one session split over several logs (a rotated pair: audit.jsonl.1, audit.jsonl) all count.
   */
  private readonly seenLines = new Set<string>();
  private readonly files: string[] = [];
  private readonly badLines: SessionLogSummary['badLines'] = [];
  private events = 0;
  private file = '';
  private lineNumber = 0;
  private anonymous = 0;
  /** Per log and profile, the session that events without a session id belong to. */
  private readonly openAnonymous = new Map<string, string>();
  /** Where each session's first end event (session.end, session.refused) was read. */
  private readonly ended = new Map<string, string>();

  /** Starts reading the next log (`-` for standard input). */
  startFile(file: string): void {
    this.file = file;
    this.lineNumber = 0;
    this.files.push(file);
  }

  /** A line longer than `maxBytes` (skipped unread by the caller): a bad line, its length said. */
  addOverlong(bytes: number, maxBytes: number): void {
    this.lineNumber += 1;
    this.badLines.push({
      file: this.file,
      line: this.lineNumber,
      problem: `a line of ${bytes} bytes, longer than any audit event (${maxBytes} bytes at most): skipped`,
    });
  }

  add(line: string): void {
    this.lineNumber += 1;
    if (line.trim() === '') return;
    const bad = (problem: string): void => {
      this.badLines.push({ file: this.file, line: this.lineNumber, problem });
    };
    let event: EventShape;
    try {
      event = JSON.parse(line) as EventShape;
    } catch {
      bad('not JSON');
      return;
    }
    const action = event?.event?.action;
    const profile = event?.ftpsctl?.profile;
    if (typeof action !== 'string' || typeof profile !== 'string') {
      bad('not an ftpsctl audit event (event.action and ftpsctl.profile missing)');
      return;
    }
    if (!KNOWN_ACTIONS.has(action)) {
      bad(`unknown event.action ${JSON.stringify(action)}`);
      return;
    }
    // Events without a session id (older logs): a session.start begins a new session of that profile.
    let id = event.ftpsctl?.session_id;
    if (typeof id !== 'string' || id === '') {
      const key = `${this.file}\u0000${profile}`;
      let current = this.openAnonymous.get(key);
      if (current === undefined || action === 'session.start' || action === 'session.refused') {
        this.anonymous += 1;
        current = `(no session id) ${profile} #${this.anonymous}`;
        this.openAnonymous.set(key, current);
      }
      id = current;
    }
    const fingerprint = createHash('sha1').update(line.trim()).digest('base64');
    if (this.seenLines.has(fingerprint)) return; // the same event, written to another log too
    this.seenLines.add(fingerprint);
    this.events += 1;
    let session = this.sessions.get(id);
    if (!session) {
      session = {
        sessionId: id,
        profile,
        outcome: 'incomplete',
        transfers: 0,
        failedTransfers: 0,
        bytes: 0,
        log: this.file,
        line: this.lineNumber,
      };
      this.sessions.set(id, session);
    }
    const time = event['@timestamp'];
    if (typeof time === 'string' && (!session.start || time < session.start)) session.start = time;
    if (event.ftpsctl?.resolution_sha256) session.resolutionSha256 = event.ftpsctl.resolution_sha256;
    if (typeof event.ftpsctl?.managed === 'boolean') session.managed = event.ftpsctl.managed;
    if (event.server?.address)
      session.server = `${event.server.address}${event.server.port !== undefined ? `:${event.server.port}` : ''}`;
    if (event.user?.name) session.user = event.user.name;
    switch (action) {
      case 'tls.established':
        if (event.tls?.version) session.tlsVersion = event.tls.version;
        if (event.tls?.cipher) session.cipher = event.tls.cipher;
        if (event.ftpsctl?.fips) session.fips = event.ftpsctl.fips;
        break;
      case 'transfer':
        session.transfers += 1;
        if (event.event?.outcome === 'failure') session.failedTransfers += 1;
        session.bytes += typeof event.ftpsctl?.bytes === 'number' ? event.ftpsctl.bytes : 0;
        break;
      case 'session.end': {
        // unknown: written as the process exited with the session never closed (event.reason).
        const outcome =
          event.event?.outcome === 'failure'
            ? 'failure'
            : event.event?.outcome === 'unknown'
              ? 'incomplete'
              : 'success';
        if (!this.settles(session, outcome)) break;
        session.outcome = outcome;
        if (event.event?.reason) session.reason = event.event.reason;
        if (typeof time === 'string') session.end = time;
        if (typeof event.event?.duration === 'number')
          session.durationMs = Math.round(event.event.duration / 1_000_000);
        if (event.error?.code) session.errorCode = event.error.code;
        break;
      }
      case 'session.refused': {
        if (!this.settles(session, 'refused')) break;
        session.outcome = 'refused';
        if (typeof time === 'string') session.end = time;
        const reason = event.event?.reason ?? event.ftpsctl?.reason;
        if (reason) session.reason = reason;
        if (event.ftpsctl?.refused_by) session.refusedBy = event.ftpsctl.refused_by;
        if (event.error?.code) session.errorCode = event.error.code;
        break;
      }
      default:
        break;
    }
  }

  /**
   * Whether an end event may set the session's outcome: its first end, or a later one that is
   * worse. A session id ends once; a second end (a replayed or forged line, a log pasted twice)
   * is a bad line, and a success after a failure never hides the failure.
   */
  private settles(session: SessionRecord, outcome: SessionOutcome): boolean {
    const first = this.ended.get(session.sessionId);
    if (first === undefined) {
      this.ended.set(session.sessionId, `${this.file}:${this.lineNumber}`);
      return true;
    }
    this.badLines.push({
      file: this.file,
      line: this.lineNumber,
      problem: `session ${session.sessionId} ended a second time (first at ${first}); the worse outcome is kept`,
    });
    return OUTCOME_SEVERITY[outcome] > OUTCOME_SEVERITY[session.outcome];
  }

  /** The sessions the filter keeps, in start order, and the counts over them. */
  report(filter: SessionFilter = {}): SessionLogReport {
    const kept = [...this.sessions.values()]
      .filter((s) => keep(s, filter))
      .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
    const summary: SessionLogSummary = {
      files: [...this.files],
      events: this.events,
      sessions: kept.length,
      profiles: nameTable(),
      tlsVersions: nameTable(),
      ciphers: nameTable(),
      fips: nameTable(),
      failuresByCode: nameTable(),
      badLines: [...this.badLines],
    };
    for (const s of kept) {
      if (s.start && (!summary.first || s.start < summary.first)) summary.first = s.start;
      const last = s.end ?? s.start;
      if (last && (!summary.last || last > summary.last)) summary.last = last;
      const p = (summary.profiles[s.profile] ??= {
        sessions: 0,
        succeeded: 0,
        failed: 0,
        refused: 0,
        transfers: 0,
        failedTransfers: 0,
        bytes: 0,
      });
      p.sessions += 1;
      if (s.outcome === 'success') p.succeeded += 1;
      if (s.outcome === 'failure') p.failed += 1;
      if (s.outcome === 'refused') p.refused += 1;
      p.transfers += s.transfers;
      p.failedTransfers += s.failedTransfers;
      p.bytes += s.bytes;
      if (s.tlsVersion) bump(summary.tlsVersions, `TLS ${s.tlsVersion}`);
      if (s.cipher) bump(summary.ciphers, s.cipher);
      if (s.fips) bump(summary.fips, s.fips);
      if (s.outcome === 'failure' || s.outcome === 'refused')
        bump(summary.failuresByCode, s.errorCode ?? (s.outcome === 'refused' ? 'refused' : 'unknown'));
    }
    return {
      summary,
      sessions: kept,
      filter: {
        ...(filter.profiles ? { profiles: filter.profiles } : {}),
        ...(filter.outcomes ? { outcomes: filter.outcomes } : {}),
        ...(filter.since ? { since: filter.since.toISOString() } : {}),
        ...(filter.until ? { until: filter.until.toISOString() } : {}),
      },
    };
  }
}

function keep(session: SessionRecord, filter: SessionFilter): boolean {
  if (filter.profiles && !filter.profiles.some((glob) => globMatches(glob, session.profile))) return false;
  if (filter.outcomes && !filter.outcomes.includes(session.outcome)) return false;
  if (filter.since || filter.until) {
    const start = session.start ? Date.parse(session.start) : NaN;
    // A session whose time is unknown cannot be said to fall in the window.
    if (Number.isNaN(start)) return false;
    if (filter.since && start < filter.since.getTime()) return false;
    if (filter.until && start >= filter.until.getTime()) return false;
  }
  return true;
}

/** One log's text, read whole (tests, small logs). */
export function summariseSessionLog(file: string, text: string, filter: SessionFilter = {}): SessionLogReport {
  const reader = new SessionLogReader();
  reader.startFile(file);
  for (const line of text.split('\n')) reader.add(line);
  return reader.report(filter);
}

/**
 * `--since` / `--until`: an ISO 8601 date or date-time (`2026-11-25`, `2026-11-25T10:00Z`), or a
 * duration back from `now` (`30m`, `12h`, `7d`, `2w`). A date without a zone is UTC.
 */
export function parseTimeBound(text: string, now: Date = new Date()): Date | undefined {
  const relative = /^(\d+)([mhdw])$/.exec(text.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2] as 'm' | 'h' | 'd' | 'w'];
    const date = new Date(now.getTime() - Number(relative[1]) * unit);
    // Further back than a Date reaches (±275,760 years): not a bound, a mistake.
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const parts = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
    text.trim(),
  );
  if (!parts) return undefined;
  // Date would roll 2026-02-30 over to March 2 and 24:00 to the next day: each field must exist.
  const [year, month, day, hour = 0, minute = 0, second = 0] = [1, 2, 3, 4, 5, 6].map((i) =>
    parts[i] === undefined ? undefined : Number(parts[i]),
  ) as [number, number, number, number?, number?, number?];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const normalised = /^\d{4}-\d{2}-\d{2}$/.test(text.trim())
    ? `${text.trim()}T00:00:00Z`
    : /(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())
      ? text.trim()
      : `${text.trim()}Z`;
  const date = new Date(normalised.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
