/**
 * What a verb handler may do to its control connection. The control session implements
 * it; handlers see only this, so they can't reach into socket bookkeeping.
 */

import type { HostileScript, ReplyText } from './hostile-script';
import type { PassiveListener } from './passive-listener';

export interface VerbContext {
  readonly connection: number;
  readonly script: HostileScript;
  readonly tlsUp: boolean;
  /** Whether the server has a certificate, so AUTH TLS can be accepted. */
  readonly tlsAvailable: boolean;
  protection: 'C' | 'P';
  /** The passive listener opened by the last EPSV/PASV, if any. */
  readonly passive: PassiveListener | undefined;
  reply(text: ReplyText): Promise<void>;
  /** Writes any held (merged) replies now. */
  flushReplies(): Promise<void>;
  /**
   * Sends `acceptReply` (e.g. 234) and upgrades the control connection to TLS. Whatever
   * arrived in clear after the command is recorded and dropped, never run as if it came
   * inside TLS.
   */
  upgradeToTls(acceptReply: ReplyText): Promise<void>;
  /** Closes the previous passive listener and opens a new one. */
  openPassive(): Promise<PassiveListener>;
  /** Never answer anything again on this control connection. */
  goSilent(): void;
  closeControl(): void;
  /** `false` when the server stopped during the pause. */
  sleep(ms: number): Promise<boolean>;
}

export type VerbHandler = (context: VerbContext, argument: string) => Promise<void>;
