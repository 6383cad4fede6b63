/** How a number is written in Vietnamese: the one formatter every output uses. */
const viFormats = new Map<number, Intl.NumberFormat>();

/** Vietnamese number format: decimal comma, dot for thousands. (Formatters are cached: creating one is slow.) */
export function formatNumberVi(v: number, maxDecimals = 2): string {
  let f = viFormats.get(maxDecimals);
  if (!f) viFormats.set(maxDecimals, (f = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: maxDecimals })));
  return f.format(v);
}

/** A figure with its unit, the one way every output writes it: "95,5%", "1,62 lần", "1.234 người" (JSON keeps the figure). */
export function formatValue(value: number, unit: string, decimals = 2): string {
  const n = formatNumberVi(value, decimals);
  return unit === '%' ? `${n}%` : unit ? `${n} ${unit}` : n;
}
