/**
 * Progress bars on a terminal: bytes, rate and ETA, one line per running transfer (a
 * parallel mirror shows several), drawn only for transfers that have run over a second.
 * Silent when the stream is not a TTY or under --json.
 */
import { printableText } from '../text/printable-text';

export interface ProgressTrack {
  update(bytes: number): void;
  done(): void;
}

interface Track {
  label: string;
  total?: number;
  bytes: number;
  started: number;
}

const SILENT: ProgressTrack = { update: () => undefined, done: () => undefined };

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** One line: `name  [=====     ]  52%  1.2 GiB  410.3 MiB/s  ETA 3s`. Pure. */
export function progressLine(track: Track, now: number, width = 20): string {
  const seconds = Math.max((now - track.started) / 1000, 0.001);
  const rate = track.bytes / seconds;
  // The label is a server's file name: its control and bidi characters must not drive the terminal.
  const parts = [printableText(track.label)];
  if (track.total) {
    const ratio = Math.min(track.bytes / track.total, 1);
    const filled = Math.round(ratio * width);
    parts.push(`[${'='.repeat(filled)}${' '.repeat(width - filled)}]`, `${Math.floor(ratio * 100)}%`.padStart(4));
  }
  parts.push(formatBytes(track.bytes), `${formatBytes(rate)}/s`);
  if (track.total && rate > 0) parts.push(`ETA ${Math.ceil(Math.max(track.total - track.bytes, 0) / rate)}s`);
  return parts.join('  ');
}

type Write = NodeJS.WriteStream['write'];

export class ProgressDisplay {
  private readonly tracks = new Set<Track>();
  private timer?: NodeJS.Timeout;
  private drawnLines = 0;
  private readonly originalWrites = new Map<NodeJS.WriteStream, Write>();

  /** `shared`: the other streams on the same terminal (stdout), whose writes erase the bars first. */
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
    private readonly shared: readonly NodeJS.WriteStream[] = [],
  ) {}

  static for(stream: NodeJS.WriteStream, json: boolean, stdout: NodeJS.WriteStream = process.stdout): ProgressDisplay {
    return new ProgressDisplay(stream, stream.isTTY === true && stdout.isTTY === true && !json, Date.now, [stdout]);
  }

  track(label: string, total?: number): ProgressTrack {
    if (!this.enabled) return SILENT;
    const track: Track = { label, bytes: 0, started: this.now(), ...(total !== undefined ? { total } : {}) };
    this.tracks.add(track);
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 200);
      this.watchOtherWrites();
    }
    return {
      update: (bytes) => {
        track.bytes = bytes;
      },
      done: () => {
        this.tracks.delete(track);
        this.draw();
        if (this.tracks.size === 0) this.stop();
      },
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
    for (const [stream, write] of this.originalWrites) stream.write = write;
    this.originalWrites.clear();
  }

  /** Every write that is not the display's own erases the bars first; the next tick redraws them. */
  private watchOtherWrites(): void {
    for (const stream of new Set([this.stream, ...this.shared])) {
      const original = stream.write;
      this.originalWrites.set(stream, original);
      stream.write = ((...args: Parameters<Write>) => {
        this.clear();
        return original.apply(stream, args);
      }) as Write;
    }
  }

  /** Writes past the watch: the display's own output. */
  private write(text: string): void {
    const write = this.originalWrites.get(this.stream) ?? this.stream.write;
    write.call(this.stream, text);
  }

  private clear(): void {
    const lines = this.drawnLines;
    this.drawnLines = 0;
    // \r first: the terminal may have echoed ^C after the bars, leaving the cursor mid-line.
    if (lines > 0) this.write(`\r\x1b[${lines}A\x1b[J`);
  }

  private draw(): void {
    const now = this.now();
    const visible = [...this.tracks].filter((t) => now - t.started >= 1000);
    this.clear();
    const columns = this.stream.columns ?? 100;
    for (const track of visible) this.write(`${progressLine(track, now).slice(0, columns - 1)}\n`);
    this.drawnLines = visible.length;
  }
}
