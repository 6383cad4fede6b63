/**
 * Inline SVG charts for the report: drawn here, with nothing fetched, so that the HTML stays self-contained and the
 * PDF shows them as vectors. Every text is escaped: names come from the catalog, which an analyst may edit.
 */
import { formatNumberVi } from '../catalog/targets.ts';

export interface StandardBar { id: string; name: string; met: number; notMet: number; missing: number }
export interface TrendBar { year: number; met: number; assessed: number; total: number }

const FONT = `'Times New Roman', Tinos, serif`;
/** Print-friendly colours that stay distinct in grey: dark, medium, light. */
export const CHART_COLOURS = { met: '#1f5f8b', notMet: '#d98c2b', missing: '#d9d9d9' } as const;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Words of `s` in lines of at most `max` characters (a longer word on a line of its own): a label is never cut. */
export function wrapLabel(s: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Stacked horizontal bars: indicators met / not met / without figures, one bar per standard. */
export function standardsChart(bars: StandardBar[], title: string): string {
  const width = 640;
  const labelW = 250;
  const barX = labelW + 8;
  const barMax = width - barX - 48;
  // 13 px Times averages under 6.5 px a character: 36 characters stay inside the 250 px of the labels.
  const labelChars = 36;
  const lineH = 15;
  const top = 8;
  const legendH = 30;
  const labels = bars.map((b) => wrapLabel(`${b.id}. ${b.name}`, labelChars));
  const rowHs = labels.map((l) => Math.max(24, l.length * lineH + 9));
  const rowTops = rowHs.map((_, i) => top + rowHs.slice(0, i).reduce((a, b) => a + b, 0));
  const height = top + rowHs.reduce((a, b) => a + b, 0) + legendH;
  const maxTotal = Math.max(1, ...bars.map((b) => b.met + b.notMet + b.missing));
  const scale = barMax / maxTotal;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeXml(title)}" font-family="${FONT}" font-size="13">`);
  parts.push(`<title>${escapeXml(title)}</title>`);
  bars.forEach((b, i) => {
    // The bar in the middle of its row, the label's lines centred on it.
    const y = rowTops[i] + (rowHs[i] - 24) / 2;
    const first = y + 16 - ((labels[i].length - 1) * lineH) / 2;
    // The first line as the text itself, the others as lines under it.
    const [head, ...rest] = labels[i];
    parts.push(`<text x="${labelW}" y="${first.toFixed(1)}" text-anchor="end">${escapeXml(head ?? '')}${rest
      .map((l) => `<tspan x="${labelW}" dy="${lineH}">${escapeXml(l)}</tspan>`).join('')}</text>`);
    let x = barX;
    const segs: [number, string, string][] = [[b.met, CHART_COLOURS.met, '#fff'], [b.notMet, CHART_COLOURS.notMet, '#000'], [b.missing, CHART_COLOURS.missing, '#000']];
    for (const [n, fill, ink] of segs) {
      if (n <= 0) continue;
      const w = n * scale;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="17" fill="${fill}" stroke="#000" stroke-width="0.4"/>`);
      if (w >= 14) parts.push(text(x + w / 2, y + 16, String(n), `text-anchor="middle" fill="${ink}" font-size="12"`));
      x += w;
    }
    const assessed = b.met + b.notMet;
    parts.push(text(x + 5, y + 16, `${b.met}/${assessed}`, 'font-size="12"'));
  });
  const ly = height - legendH + 14;
  const legend: [string, string][] = [['Đạt', CHART_COLOURS.met], ['Chưa đạt', CHART_COLOURS.notMet], ['Thiếu số liệu', CHART_COLOURS.missing]];
  let lx = barX;
  for (const [label, fill] of legend) {
    parts.push(`<rect x="${lx}" y="${ly - 3}" width="14" height="12" fill="${fill}" stroke="#000" stroke-width="0.4"/>`);
    parts.push(text(lx + 19, ly + 7, label));
    lx += 30 + label.length * 7.5;
  }
  parts.push(text(width - 2, ly + 7, 'đạt/đã đánh giá', 'text-anchor="end" font-size="11" font-style="italic"'));
  parts.push('</svg>');
  return parts.join('');
}

/** Vertical bars: the share of assessed indicators met, year by year, over the years in the store. */
export function trendChart(points: TrendBar[], title: string): string {
  const width = 640;
  const height = 230;
  const left = 44;
  const right = 12;
  const top = 22;
  const bottom = 42;
  const plotH = height - top - bottom;
  const plotW = width - left - right;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeXml(title)}" font-family="${FONT}" font-size="13">`);
  parts.push(`<title>${escapeXml(title)}</title>`);
  for (const pct of [0, 25, 50, 75, 100]) {
    const y = top + plotH - (pct / 100) * plotH;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${pct === 0 ? '#000' : '#bbb'}" stroke-width="${pct === 0 ? 0.8 : 0.4}"/>`);
    parts.push(text(left - 6, y + 4, `${pct}%`, 'text-anchor="end" font-size="12"'));
  }
  const n = Math.max(1, points.length);
  const slot = plotW / n;
  const barW = Math.min(70, slot * 0.6);
  const coords: [number, number][] = [];
  points.forEach((p, i) => {
    const cx = left + slot * i + slot / 2;
    const share = p.assessed ? p.met / p.assessed : 0;
    const h = share * plotH;
    const y = top + plotH - h;
    parts.push(`<rect x="${(cx - barW / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${CHART_COLOURS.met}" stroke="#000" stroke-width="0.4"/>`);
    parts.push(text(cx, y - 5, `${formatNumberVi(share * 100, 1)}%`, 'text-anchor="middle" font-size="15" font-weight="bold"'));
    parts.push(text(cx, top + plotH + 17, String(p.year), 'text-anchor="middle" font-size="15"'));
    parts.push(text(cx, top + plotH + 33, `đạt ${p.met}/${p.assessed} chỉ số`, 'text-anchor="middle" font-size="13"'));
    coords.push([cx, y]);
  });
  if (coords.length > 1) {
    parts.push(`<polyline points="${coords.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="#000" stroke-width="1" stroke-dasharray="4 3"/>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
