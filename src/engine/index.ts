/**
 * `ftpsctl/engine`: the FTPS engine, our own client on node:net and node:tls (RFC 959, 4217,
 * 2228, 3659). UNMANAGED: it applies no policy (machine or user), writes no audit trail and
 * reads no secret source; it does exactly what the settings given to `openSession` say. For a
 * session under the administrator's policies, with its audit trail, use `connect()` from
 * `ftpsctl`.
 */
export {
  openSession,
  FtpsSession,
  fipsState,
  type TlsInfo,
  type SessionInfo,
  type TransferOptions,
  type TransferResult,
  type OpenSessionOptions,
} from './ftps-session';
export type { EngineSettings, Credentials, FipsState } from './engine-settings';
export type { ListEntry } from './parse-list';
export type { ProtocolLogLine } from './control-connection';
export { directDialer, type Dialer, type DialTarget, type Dialed } from './tcp-dialer';
export { parseReplies, type FtpReply } from './parse-reply';
