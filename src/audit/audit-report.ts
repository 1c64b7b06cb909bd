/**
 * The data behind `ftpsctl audit`: the resolution of every profile of a folder against one
 * policy set. Renderers (table, json, csv, html) turn it into text; they do no I/O.
 */
import type { PolicySourceRecord, Resolution, SettingStatus } from '../resolve/resolution';

/** Statuses where a policy, not the profile or a default, decided the value (the summary's changedByPolicy). */
export const CHANGED_BY_POLICY: ReadonlySet<SettingStatus> = new Set<SettingStatus>([
  'applied',
  'overridden',
  'raised',
  'lowered',
]);

export interface AuditedProfile {
  /** The profile file. */
  file: string;
  /** The resolution; absent when the profile itself could not be loaded. */
  resolution?: Resolution;
  /** Why the profile could not be loaded (exit-code class `invalid input`). */
  error?: { code: string; message: string };
  /** Other profile files of the folder with the same profile name (a finding: which one runs depends on the path a user gives). */
  duplicateOf?: string[];
}

export interface AuditReport {
  /** ISO 8601 time the report was made. */
  generatedAt: string;
  profilesDir: string;
  policiesDir: string;
  /** Every policy file read, with its SHA-256, or the problem that made it unusable. */
  policyFiles: Array<{ file: string; sha256?: string; policy?: string; problems: string[] }>;
  profiles: AuditedProfile[];
  summary: {
    profiles: number;
    allowed: number;
    refused: number;
    invalid: number;
    changedByPolicy: number;
    /** Profiles that override a recommended value (each recorded in the setting's rejectedRecommendation). */
    rejectedRecommendations?: number;
    /** Profile names used by more than one file. */
    duplicateNames?: number;
  };
  /** False when no policy source existed (issue 9). */
  managed?: boolean;
  /** True for --policies-only: a what-if analysis. */
  simulation?: boolean;
  /** Every policy file read, with the scope it ranked as, its source and SHA-256 (issue 10). */
  policySources?: PolicySourceRecord[];
}
