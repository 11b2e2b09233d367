/** A progress line on stderr, only when stderr is a terminal (never in pipes, logs or tests). */
export interface Progress {
  update(done: number, total?: number): void;
  done(): void;
}

export function progressBar(label: string, stream: { write(s: string): unknown; isTTY?: boolean }): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      if (total) {
        const width = 30;
        const filled = Math.round((Math.min(done, total) / total) * width);
        stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`);
      } else stream.write(`\r${label} ${done.toLocaleString("en")}…`);
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}
