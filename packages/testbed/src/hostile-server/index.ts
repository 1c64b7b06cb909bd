/**
 * A scriptable hostile FTP(S) server for fault injection in the engine's tests. It listens
 * on 127.0.0.1 only (port 0) and records every byte it receives — control and data, before
 * TLS as sent and inside TLS decrypted — so a test can prove what a client did and did not
 * send (e.g. no USER after AUTH TLS was refused or the certificate was rejected).
 *
 * ```ts
 * const server = await startHostileServer(refuseAuthTls(), { pki: { cert, key } });
 * try {
 *   // ... run the client against server.host, server.port ...
 *   await server.connectionClosed(1);
 *   expect(server.commands()).toEqual(['AUTH']);
 * } finally {
 *   await server.stop();
 * }
 * ```
 *
 * startHostileServer(script?, options?) → HostileServer
 * - options: `pki` { cert, key } PEM (without it AUTH TLS gets 502), `implicit` (TLS from
 *   the first byte), `tls` { minVersion, maxVersion } (default TLSv1.2–TLSv1.3).
 * - HostileServer: `host` ('127.0.0.1'), `port`, `connections`, `dataConnections`,
 *   `received()` [{ connection, tlsUp, text }] (adjacent chunks of one connection and TLS
 *   state joined), `commands()` verbs, `commandLog()` full commands, `dataReceived()`
 *   [{ connection, dataConnection, tlsUp, bytes }], `handshakes()` (control and data, with
 *   `resumed` and SNI), `scriptProblems()`, `connectionClosed(n)`, `stop()`.
 *
 * An empty script is a minimal well-behaved server: USER/PASS → 331/230, FEAT, SYST, OPTS,
 * TYPE, PWD, CWD, SIZE, AUTH TLS → 234 and the upgrade, PBSZ, PROT C/P, EPSV/PASV with a
 * real listener on 127.0.0.1 (TLS on data connections under PROT P, one secure context so
 * they can resume the control session), RETR/LIST/NLST/STOR, QUIT; anything else 502.
 * Field faults (issue 11) are script fields: `payloads.listing`/`payloads.mlsd` as bytes
 * (MLSD is answered only when `payloads.mlsd` is set, else 500), `download.preliminaries`
 * (e.g. 150 then 125), `upload.preliminary` (glftpd's 553- lines ending in 150),
 * `dataTls: 'withheld'` with `download|listing|upload.closeDataBeforeTls` (421 and hang-up,
 * or ftpserverlib's close-then-226), `listing` (how LIST/NLST/MLSD are served), and
 * `controlBytes()` shows every byte received (names that are not UTF-8).
 * Presets: refuseAuthTls, wrongCertificate, foreignPasvAddress, malformedReply,
 * splitReplies, mergedReplies, dropDataMidTransfer, stall, finalReplyBeforeData,
 * dataBeforePreliminary, noCloseNotify, scripted. A HostileScript is plain data (see
 * hostile-script.ts), so presets combine with a spread.
 */

export type {
  DownloadBehaviour,
  HostileScript,
  ReceivedCommand,
  ReplyDelivery,
  ReplyFor,
  ReplyText,
  ScriptedStep,
  StallPoint,
  UploadBehaviour,
} from './hostile-script';
export type { ControlReceipt, DataReceipt, HandshakeRecord } from './traffic-log';
export { startHostileServer, type HostileServer, type HostileServerOptions } from './start-hostile-server';
export { DEFAULT_GREETING } from './control-session';
export { DEFAULT_DOWNLOAD, DEFAULT_FEATURES, DEFAULT_LISTING } from './built-in-verbs';
export {
  dataBeforePreliminary,
  dropDataMidTransfer,
  finalReplyBeforeData,
  foreignPasvAddress,
  hugeListing,
  malformedReply,
  malformedReplyText,
  mergedReplies,
  noCloseNotify,
  refuseAuthTls,
  scripted,
  selfContainingFolder,
  splitReplies,
  stall,
  wrongCertificate,
  type MalformedReplyKind,
  type StallPreset,
} from './presets';
