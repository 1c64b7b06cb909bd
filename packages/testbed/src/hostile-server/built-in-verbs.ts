/**
 * The well-behaved part of the hostile server: a minimal FTPS server's answer to each verb.
 * Scripts replace these per verb (`replies`) or wholesale (`steps`).
 */

import type { DownloadBehaviour, HostileScript } from './hostile-script';
import { serveDownload, serveUpload } from './transfers';
import type { VerbContext, VerbHandler } from './verb-context';

export const DEFAULT_FEATURES = ['AUTH TLS', 'PBSZ', 'PROT', 'EPSV', 'PASV', 'SIZE', 'UTF8'];

/** 100 KiB of a counting pattern: big enough to truncate, recognisable when reassembled. */
export const DEFAULT_DOWNLOAD = Buffer.from(Array.from({ length: 100 * 1024 }, (_, i) => i % 251));

export const DEFAULT_LISTING = '-rw-r--r--    1 ftp      ftp        102400 Jan 01 00:00 payload.bin\r\n';

function downloadPayload(script: HostileScript): Buffer {
  const payload = script.payloads?.download;
  if (payload === undefined) return DEFAULT_DOWNLOAD;
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

function listingPayload(script: HostileScript): Buffer {
  const listing = script.payloads?.listing ?? DEFAULT_LISTING;
  return typeof listing === 'string' ? Buffer.from(listing, 'utf8') : listing;
}

function listingBehaviour(script: HostileScript): DownloadBehaviour {
  return script.listing ?? { order: script.download?.order };
}

const mlsd: VerbHandler = (context) => {
  const payload = context.script.payloads?.mlsd;
  if (payload === undefined) return context.reply("500 'MLSD': command not understood.");
  return serveDownload(
    context,
    typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
    listingBehaviour(context.script),
  );
};

const auth: VerbHandler = async (context, argument) => {
  if (context.tlsUp) return context.reply('503 TLS is already up');
  if (!context.tlsAvailable) return context.reply('502 This server has no certificate');
  if (!/^(TLS|SSL|TLS-C)$/i.test(argument.trim())) return context.reply('504 AUTH type not supported');
  await context.upgradeToTls('234 Proceed with negotiation');
};

const pbsz: VerbHandler = (context) =>
  context.tlsUp ? context.reply('200 PBSZ=0') : context.reply('503 PBSZ needs TLS first');

const prot: VerbHandler = async (context, argument) => {
  const level = argument.trim().toUpperCase();
  if (!context.tlsUp) return context.reply('503 PROT needs TLS first');
  if (level !== 'C' && level !== 'P') return context.reply('504 PROT level not supported');
  context.protection = level;
  return context.reply(`200 Protection level set to ${level}`);
};

const feat: VerbHandler = (context) => {
  const features = context.script.features ?? DEFAULT_FEATURES;
  return context.reply(['211-Features:', ...features.map((feature) => ` ${feature}`), '211 End'].join('\r\n'));
};

const epsv: VerbHandler = async (context) => {
  const listener = await context.openPassive();
  return context.reply(`229 Entering Extended Passive Mode (|||${listener.port}|)`);
};

const pasv: VerbHandler = async (context) => {
  const digits = (context.script.passiveAddress ?? '127.0.0.1').replace(/\./g, ',');
  const listener = await context.openPassive();
  return context.reply(`227 Entering Passive Mode (${digits},${listener.port >> 8},${listener.port & 0xff})`);
};

const quit: VerbHandler = async (context) => {
  await context.reply('221 Goodbye');
  await context.flushReplies();
  context.closeControl();
};

const fixed =
  (text: string): VerbHandler =>
  (context) =>
    context.reply(text);

export const BUILT_IN_VERBS: Readonly<Record<string, VerbHandler>> = {
  AUTH: auth,
  PBSZ: pbsz,
  PROT: prot,
  USER: fixed('331 Password required'),
  PASS: fixed('230 Logged in'),
  FEAT: feat,
  SYST: fixed('215 UNIX Type: L8'),
  OPTS: fixed('200 OK'),
  NOOP: fixed('200 OK'),
  TYPE: fixed('200 Type set'),
  PWD: fixed('257 "/" is the current directory'),
  CWD: fixed('250 Directory changed'),
  SIZE: (context) => context.reply(`213 ${downloadPayload(context.script).length}`),
  EPSV: epsv,
  PASV: pasv,
  RETR: (context: VerbContext) =>
    serveDownload(context, downloadPayload(context.script), context.script.download ?? {}),
  LIST: (context) => serveDownload(context, listingPayload(context.script), listingBehaviour(context.script)),
  NLST: (context) => serveDownload(context, listingPayload(context.script), listingBehaviour(context.script)),
  MLSD: mlsd,
  STOR: serveUpload,
  QUIT: quit,
};

export const NOT_IMPLEMENTED: VerbHandler = fixed('502 Command not implemented');
