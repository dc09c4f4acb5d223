// Small numeric helpers for the bench: growable sample buffers with exact
// percentiles, and a least-squares line.

/** Collects numbers (e.g. latencies in microseconds) and answers exact percentiles. */
export class Samples {
  #values = new Float64Array(1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(value: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = value;
  }

  clear(): void {
    this.#count = 0;
  }

  /** Nearest-rank percentiles (p in 0..100) of what was added; undefined when empty. */
  percentiles(ps: readonly number[]): (number | undefined)[] {
    if (this.#count === 0) return ps.map(() => undefined);
    const sorted = this.#values.slice(0, this.#count).sort();
    return ps.map((p) => sorted[Math.min(this.#count - 1, Math.max(0, Math.ceil((p / 100) * this.#count) - 1))]);
  }
}

export interface Line {
  slope: number;
  intercept: number;
}

/** Ordinary least squares through the points; undefined with fewer than two distinct x. */
export function fitLine(points: readonly { x: number; y: number }[]): Line | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const { x, y } of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
