/** Real FTP servers (vsftpd, proftpd, pure-ftpd, pyftpdlib from Debian) on 127.0.0.1 for integration tests. */
export type { PortRange, RealServer, RealServerKind, RealServerOptions, ServerTlsFiles } from './real-server';
export { RealServerStartError } from './real-server-start-error';
export { startVsftpd, type VsftpdOptions } from './start-vsftpd';
export { startProftpd, type ProftpdOptions } from './start-proftpd';
export { startPureFtpd, type PureFtpdOptions } from './start-pure-ftpd';
export { startPyftpdlib, type PyftpdlibOptions } from './start-pyftpdlib';
export { findServer, requireRealServers, serversDir, whyServerUnavailable, INSTALL_HINT } from './server-installation';
// describeWithServer is not re-exported: it imports @jest/globals, which throws outside jest,
// and benchmarks import this index. Tests import './describe-with-server' directly.
