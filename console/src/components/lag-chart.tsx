/** Lag samples as a small SVG line chart, newest on the right. */
export const LagChart = ({ samples, label }: { samples: readonly { at: number; lagMs: number }[]; label: string }) => {
  const width = 480;
  const height = 120;
  if (samples.length < 2) return <p>Collecting lag samples… ({samples.length} so far)</p>;
  const first = samples[0]!.at;
  const span = Math.max(samples[samples.length - 1]!.at - first, 1);
  const highest = Math.max(...samples.map((s) => s.lagMs));
  const max = Math.max(highest, 100);
  const points = samples.map((s) => `${((s.at - first) / span) * width},${height - (s.lagMs / max) * (height - 10)}`).join(" ");
  return (
    <figure>
      <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} class="chart">
        <polyline points={points} fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
      <figcaption>
        {label}: {samples.length} samples over {Math.round(span / 1000)} s, highest {highest} ms, now {samples[samples.length - 1]!.lagMs}{" "}
        ms
      </figcaption>
    </figure>
  );
};
