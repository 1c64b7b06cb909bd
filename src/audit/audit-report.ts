/**
 * The data behind `ftpsctl audit`: the resolution of every profile of a folder against one
 * policy set. Renderers (table, json, csv, html) turn it into text; they do no I/O.
 */
import type { Resolution, SettingStatus } from '../session/resolution';

/** Statuses where a policy, not the profile or a default, decided the value (the summary's changedByPolicy). */
export const CHANGED_BY_POLICY: ReadonlySet<SettingStatus> = new Set<SettingStatus>(['applied', 'overridden', 'raised', 'lowered']);

export interface AuditedProfile {
  /** The profile file. */
  file: string;
  /** The resolution; absent when the profile itself could not be loaded. */
  resolution?: Resolution;
  /** Why the profile could not be loaded (exit-code class `invalid input`). */
  error?: { code: string; message: string };
}

export interface AuditReport {
  /** ISO 8601 time the report was made. */
  generatedAt: string;
  profilesDir: string;
  policiesDir: string;
  /** Every policy file read, with its SHA-256, or the problem that made it unusable. */
  policyFiles: Array<{ file: string; sha256?: string; policy?: string; problems: string[] }>;
  profiles: AuditedProfile[];
  summary: { profiles: number; allowed: number; refused: number; invalid: number; changedByPolicy: number };
}
