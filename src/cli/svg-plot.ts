/**
 * A small hand-written SVG line chart: progressive loss against examples seen, x on a log scale,
 * one path per series, axes with ticks, a legend and a title. No DOM and no dependency, so the
 * command can write it anywhere Node runs.
 */
export interface Series {
  name: string;
  points: [number, number][];
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

/** Colour-blind-safe (Okabe-Ito), distinct in greyscale print order too. */
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export function lineChartSvg(series: readonly Series[], options: PlotOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 440;
  const margin = { top: 48, right: 160, bottom: 56, left: 72 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const points = series.flatMap((s) => s.points).filter(([x, y]) => x > 0 && Number.isFinite(y));
  const xMax = Math.max(10, ...points.map(([x]) => x));
  const yMaxRaw = Math.max(...points.map(([, y]) => y), 1e-9);
  const yMin = 0;
  const yMax = niceCeil(yMaxRaw);
  const x = (v: number): number => margin.left + (Math.log10(Math.max(v, 1)) / Math.log10(xMax)) * plotW;
  const y = (v: number): number => margin.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  // Axes and ticks: decades on x, five even steps on y.
  parts.push(`<g class="axes" stroke="#333" fill="none">`);
  parts.push(
    `<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}"/>`,
  );
  parts.push(`<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}"/>`);
  parts.push(`</g>`);
  parts.push(`<g class="ticks" fill="#333">`);
  for (let decade = 1; decade <= xMax * 1.0001; decade *= 10) {
    const px = fmt(x(decade));
    parts.push(
      `<line x1="${px}" y1="${margin.top + plotH}" x2="${px}" y2="${margin.top + plotH + 5}" stroke="#333"/>`,
    );
    parts.push(
      `<text x="${px}" y="${margin.top + plotH + 18}" text-anchor="middle">${decadeLabel(decade)}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const v = yMin + ((yMax - yMin) * i) / 5;
    const py = fmt(y(v));
    parts.push(`<line x1="${margin.left - 5}" y1="${py}" x2="${margin.left}" y2="${py}" stroke="#333"/>`);
    parts.push(`<line x1="${margin.left}" y1="${py}" x2="${margin.left + plotW}" y2="${py}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${margin.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${+v.toPrecision(3)}</text>`,
    );
  }
  parts.push(`</g>`);
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  // One path per series, then the legend in the same order.
  parts.push(`<g class="series" fill="none" stroke-width="2">`);
  series.forEach((s, i) => {
    const valid = s.points.filter(([px, py]) => px > 0 && Number.isFinite(py));
    const d = valid
      .map(([px, py], j) => `${j === 0 ? 'M' : 'L'}${fmt(x(px))},${fmt(y(Math.min(py, yMax)))}`)
      .join('');
    parts.push(`<path data-series="${escapeXml(s.name)}" stroke="${COLORS[i % COLORS.length]}" d="${d}"/>`);
  });
  parts.push(`</g>`);
  parts.push(`<g class="legend">`);
  series.forEach((s, i) => {
    const ly = margin.top + 10 + i * 20;
    const lx = margin.left + plotW + 16;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${COLORS[i % COLORS.length]}" stroke-width="3"/>`,
    );
    parts.push(`<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  parts.push(`</g>`, `</svg>`);
  return parts.join('\n') + '\n';
}

function niceCeil(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}

function decadeLabel(v: number): string {
  return v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v);
}

function fmt(v: number): string {
  return v.toFixed(1);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
