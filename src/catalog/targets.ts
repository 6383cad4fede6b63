import type { Target, Indicator } from './types.ts';

/** Renders a target in Vietnamese as a reader of the appendix would write it: "≥ 95%", "Giảm so với năm trước". */
export function describeTarget(t: Target, unit: string): string {
  const u = unit === '%' ? '%' : unit ? ` ${unit}` : '';
  const n = (v: number | null) => (v === null ? '' : formatNumberVi(v));
  switch (t.comparator) {
    case '>=': return `≥ ${n(t.value)}${u}`;
    case '<=': return `≤ ${n(t.value)}${u}`;
    case 'between': return `${n(t.value)}–${n(t.valueMax)}${u}`;
    case 'increase': return 'Tăng so với năm trước';
    case 'decrease': return 'Giảm so với năm trước';
  }
}

/** The targets in force for a year: the criterion thresholds plus that year's roadmap targets. */
export function targetsForYear(ind: Indicator, year: number | undefined): { threshold: Target[]; roadmap: Target[] } {
  return {
    threshold: ind.targets.filter((t) => t.year === null),
    roadmap: year === undefined ? [] : ind.targets.filter((t) => t.year === year),
  };
}

const viFormats = new Map<number, Intl.NumberFormat>();

/** Vietnamese number format: decimal comma, dot for thousands. (Formatters are cached: creating one is slow.) */
export function formatNumberVi(v: number, maxDecimals = 2): string {
  let f = viFormats.get(maxDecimals);
  if (!f) viFormats.set(maxDecimals, (f = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: maxDecimals })));
  return f.format(v);
}
