/** `ftpsctl session check`: what a session negotiated, and its human form. */
import type { FtpsSession, TlsInfo } from '../engine/ftps-session';
import { renderTable } from '../text/render-table';
import { printableText } from '../text/printable-text';

export interface SessionCheckView {
  profile: string;
  server: { host: string; port: number; implicit: boolean };
  greeting: string;
  features: string[];
  tls?: TlsInfo;
  dataChannelResumed?: boolean;
}

/** Probes the data channel with one listing, then reports what the session negotiated. */
export async function checkSession(session: FtpsSession, profile: string): Promise<SessionCheckView> {
  const info = session.info();
  await session.list();
  const tls = session.tlsInfo();
  return {
    profile,
    server: { host: info.host, port: info.port, implicit: info.implicit },
    greeting: info.greeting,
    features: info.features,
    ...(tls ? { tls, dataChannelResumed: tls.dataConnectionsResumed > 0 } : {}),
  };
}

export function renderSessionCheck(check: SessionCheckView): string {
  const rows: string[][] = [
    [
      'server',
      `${check.server.host}:${check.server.port} (${check.tls ? (check.server.implicit ? 'implicit TLS' : 'explicit AUTH TLS') : 'plain FTP'})`,
    ],
    // A multi-line greeting on one line: its lines joined, their `220-` prefixes dropped.
    [
      'greeting',
      printableText(
        check.greeting
          .split(/\r?\n/)
          .map((line) => line.replace(/^\d{3}[- ]/, ''))
          .join(' '),
      ),
    ],
  ];
  const tls = check.tls;
  if (tls) {
    rows.push(
      ['TLS', `${tls.version}, ${tls.cipher}${tls.group ? `, ${tls.group}` : ''}`],
      ['certificate', tls.serverCertificate.subject],
      ['issuer', tls.serverCertificate.issuer],
      ['expires', tls.serverCertificate.notAfter],
      ['SHA-256', tls.serverCertificate.sha256],
      ...(tls.serverCertificate.publicKeySha256
        ? [['public key pin', tls.serverCertificate.publicKeySha256] as [string, string]]
        : []),
      [
        'chain',
        tls.chainValidated ? `validated${tls.pinned ? ' and pinned' : ''}` : 'not validated (authenticated by a pin)',
      ],
      ['FIPS', tls.fips],
      ['data channel', tls.protection === 'P' ? 'PROT P (encrypted)' : 'PROT C (clear)'],
      ['CCC', tls.clearCommandChannel ? 'yes: commands continue in clear after login' : 'no'],
      [
        'session reuse',
        check.dataChannelResumed
          ? 'data connections resume the TLS session'
          : tls.protection === 'P'
            ? 'data connection did NOT resume the TLS session'
            : 'n/a (PROT C)',
      ],
    );
  }
  rows.push(['features', check.features.join(' ') || '(none)']);
  return `profile ${check.profile}\n\n${renderTable(['', ''], rows).split('\n').slice(2).join('\n')}`;
}
