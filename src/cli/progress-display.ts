/**
 * Progress bars on a terminal: bytes, rate and ETA, one line per running transfer (a
 * parallel mirror shows several), drawn only for transfers that have run over a second.
 * Silent when the stream is not a TTY or under --json.
 */
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
  const parts = [track.label];
  if (track.total) {
    const ratio = Math.min(track.bytes / track.total, 1);
    const filled = Math.round(ratio * width);
    parts.push(`[${'='.repeat(filled)}${' '.repeat(width - filled)}]`, `${Math.floor(ratio * 100)}%`.padStart(4));
  }
  parts.push(formatBytes(track.bytes), `${formatBytes(rate)}/s`);
  if (track.total && rate > 0) parts.push(`ETA ${Math.ceil(Math.max(track.total - track.bytes, 0) / rate)}s`);
  return parts.join('  ');
}

export class ProgressDisplay {
  private readonly tracks = new Set<Track>();
  private timer?: NodeJS.Timeout;
  private drawnLines = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  static for(stream: NodeJS.WriteStream, json: boolean): ProgressDisplay {
    return new ProgressDisplay(stream, stream.isTTY === true && !json);
  }

  track(label: string, total?: number): ProgressTrack {
    if (!this.enabled) return SILENT;
    const track: Track = { label, bytes: 0, started: this.now(), ...(total !== undefined ? { total } : {}) };
    this.tracks.add(track);
    this.timer ??= setInterval(() => this.draw(), 200);
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
  }

  private clear(): void {
    if (this.drawnLines > 0) this.stream.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    const now = this.now();
    const visible = [...this.tracks].filter((t) => now - t.started >= 1000);
    this.clear();
    const columns = this.stream.columns ?? 100;
    for (const track of visible) this.stream.write(`${progressLine(track, now).slice(0, columns - 1)}\n`);
    this.drawnLines = visible.length;
  }
}
