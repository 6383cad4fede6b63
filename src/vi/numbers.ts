/** How a number is written in Vietnamese: the one formatter every output uses. */
const viFormats = new Map<number, Intl.NumberFormat>();

/** Vietnamese number format: decimal comma, dot for thousands. (Formatters are cached: creating one is slow.) */
export function formatNumberVi(v: number, maxDecimals = 2): string {
  let f = viFormats.get(maxDecimals);
  if (!f) viFormats.set(maxDecimals, (f = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: maxDecimals })));
  return f.format(v);
}
