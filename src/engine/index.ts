/** The FTPS engine: our own client on node:net and node:tls. */
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
