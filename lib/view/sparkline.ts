/** A score series as an SVG step line: each value holds until the next change, the last one until `now`. Pure. */
export interface SparkPoint {
  at: string;
  score: number | null;
}

/** The `d` of a path over a width × height box (score 0 at the bottom, 100 at the top); gaps where there is no score. */
export function sparklinePath(points: SparkPoint[], now: number, width: number, height: number): string {
  const times = points.map((p) => Date.parse(p.at)).filter(Number.isFinite);
  if (times.length === 0) return '';
  const start = times[0];
  const span = Math.max(1, now - start);
  const x = (t: number) => (((Math.min(Math.max(t, start), now) - start) / span) * width).toFixed(1);
  const y = (s: number) => (height - (Math.min(100, Math.max(0, s)) / 100) * height).toFixed(1);
  const parts: string[] = [];
  points.forEach((p, i) => {
    if (p.score === null || !Number.isFinite(Date.parse(p.at))) return;
    const from = Date.parse(p.at);
    const to = i + 1 < points.length ? Date.parse(points[i + 1].at) : now;
    parts.push(`M${x(from)} ${y(p.score)}H${x(Number.isFinite(to) ? to : now)}`);
  });
  return parts.join('');
}
