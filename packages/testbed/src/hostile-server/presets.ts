/**
 * Ready-made scripts for the faults the engine must survive. Each returns a plain
 * HostileScript, so a test can adjust it or combine two with a spread.
 */

import type { DownloadBehaviour, HostileScript, ReplyText, ScriptedStep } from './hostile-script';

/** AUTH TLS is refused (534 by default; pass e.g. `500 AUTH not understood`). Later commands get the built-in answers, so a client that carries on in clear is recorded doing so. */
export function refuseAuthTls(reply: ReplyText = '534 Request denied for policy reasons'): HostileScript {
  return { replies: { AUTH: reply } };
}

/**
 * A well-behaved server: the fault is the certificate the test starts it with
 * (`options.pki`, e.g. expired, wrong host, self-signed). The log then shows whether USER
 * arrived anyway.
 */
export function wrongCertificate(): HostileScript {
  return {};
}

/** PASV claims `address` (a third host) while the listener is on 127.0.0.1 at the same port; EPSV is refused so the client must use PASV. */
export function foreignPasvAddress(address = '10.9.8.7'): HostileScript {
  return { passiveAddress: address, replies: { EPSV: '500 EPSV not understood' } };
}

export type MalformedReplyKind = 'not-a-reply' | 'two-digit-code' | 'unterminated-multi-line' | 'endless-line';

/** More lines than a client should ever buffer for one reply (the engine stops at 10,000). */
const UNTERMINATED_LINES = 12_000;
const ENDLESS_LINE_BYTES = 10 * 1024 * 1024;

export function malformedReplyText(kind: MalformedReplyKind): ReplyText {
  switch (kind) {
    case 'not-a-reply':
      return { raw: 'abc\r\n' };
    case 'two-digit-code':
      return { raw: '22 Ready\r\n' };
    case 'unterminated-multi-line':
      return {
        raw:
          ['220-Welcome', ...Array.from({ length: UNTERMINATED_LINES }, (_, i) => ` line ${i + 1}`)].join('\r\n') +
          '\r\n',
      };
    case 'endless-line':
      return { raw: Buffer.concat([Buffer.from('220 '), Buffer.alloc(ENDLESS_LINE_BYTES, 'x')]) };
  }
}

/**
 * A broken reply as the greeting, or as the answer to `at` (a verb). An unterminated
 * multi-line reply is sent and never finished; an endless line is 10 MiB without a line end.
 */
export function malformedReply(kind: MalformedReplyKind, at: 'greeting' | string = 'greeting'): HostileScript {
  const text = malformedReplyText(kind);
  return at === 'greeting' ? { greeting: text } : { replies: { [at.toUpperCase()]: text } };
}

/** Every reply byte by byte, one write per byte, `delayMs` apart. */
export function splitReplies(delayMs = 1): HostileScript {
  return { delivery: { kind: 'byte-by-byte', delayMs } };
}

/** Replies held and written together: pipelined commands get one write, a download's 150 and 226 leave as one. */
export function mergedReplies(): HostileScript {
  return { delivery: { kind: 'merged' } };
}

/** RETR sends `afterBytes` bytes then destroys the data socket (no close_notify under PROT P), then sends `finalReply` (`null`: none; a 226 lies). */
export function dropDataMidTransfer(
  afterBytes = 4096,
  finalReply: ReplyText | null = '426 Connection closed; transfer aborted',
): HostileScript {
  return { download: { truncateAt: afterBytes, dataEnd: 'destroy', finalReply } };
}

export type StallPreset = 'before-greeting' | 'after-greeting' | 'after-preliminary' | { atCommand: string };

/** Goes silent for good at `point`; `after-preliminary` sends RETR's 150 and then neither data nor a final reply. */
export function stall(point: StallPreset): HostileScript {
  if (point === 'after-preliminary') return { download: { stallAfterPreliminary: true } };
  return { stall: point };
}

/** RETR: 150 and 226 first, the data 50 ms later. */
export function finalReplyBeforeData(): HostileScript {
  return { download: { order: 'final-before-data' } };
}

/** RETR: the data (until the client closes the data connection), then 150 and 226. */
export function dataBeforePreliminary(): HostileScript {
  return { download: { order: 'data-before-preliminary' } };
}

/**
 * RETR destroys the data TLS socket without close_notify and says 226. With the whole
 * payload sent (the default) only the missing close_notify reveals that the stream could
 * have been cut; `truncateAt` cuts it for real. Needs PROT P to mean anything.
 */
export function noCloseNotify(options: Pick<DownloadBehaviour, 'truncateAt' | 'finalReply'> = {}): HostileScript {
  return { download: { dataEnd: 'destroy', finalReply: '226 Transfer complete', ...options } };
}

/** A scripted conversation after the greeting; when the steps run out the built-in answers go on. */
export function scripted(steps: ScriptedStep[], greeting?: ReplyText): HostileScript {
  return greeting === undefined ? { steps } : { steps, greeting };
}

/** One Unix `ls -l` line for a file or a folder. */
function unixLine(name: string, kind: 'file' | 'directory', size = 102400): string {
  return `${kind === 'directory' ? 'drwxr-xr-x' : '-rw-r--r--'}    1 ftp      ftp      ${String(size).padStart(8)} Jan 01 00:00 ${name}\r\n`;
}

/**
 * LIST answers `entries` file lines (`f0000001` ...), about 66 bytes each: a million is
 * about 66 MB (issue 12, defect 7).
 */
export function hugeListing(entries: number): HostileScript {
  const lines = Buffer.from(unixLine('f0000000', 'file'), 'utf8');
  const payload = Buffer.allocUnsafe(lines.length * entries);
  for (let i = 0; i < entries; i++) {
    lines.write(String(i).padStart(7, '0'), lines.length - 2 - 7, 'latin1');
    lines.copy(payload, i * lines.length);
  }
  return { payloads: { listing: payload } };
}

/**
 * A folder that contains itself: every LIST, whatever the path, answers the file
 * `payload.bin` and the folder `d` (issue 12, defect 8); with `mlsd`, MLSD answers the same
 * with the `unique` fact of `d` equal to the folder listed.
 */
export function selfContainingFolder(options: { mlsd?: boolean } = {}): HostileScript {
  const listing = `${unixLine('payload.bin', 'file')}${unixLine('d', 'directory', 4096)}`;
  if (!options.mlsd) return { payloads: { listing } };
  return {
    features: ['AUTH TLS', 'PBSZ', 'PROT', 'EPSV', 'PASV', 'SIZE', 'UTF8', 'MLST type*;size*;modify*;unique*;'],
    payloads: {
      listing,
      mlsd: 'type=cdir;unique=L1; .\r\ntype=file;size=102400;modify=20260101000000;unique=F1; payload.bin\r\ntype=dir;modify=20260101000000;unique=L1; d\r\n',
    },
  };
}
