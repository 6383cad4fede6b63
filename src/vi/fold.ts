/** Vietnamese text without its marks: the one place diacritics are folded (matching typed words, file names). */

/** "Ủy ban nhân dân Quận 1" → "Uy ban nhan dan Quan 1": marks removed, đ/Đ as d/D, case and spacing kept. */
export function stripDiacritics(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** For matching words people type ("TANG", "tăng", "Tăng" are one): marks and case removed, spaces collapsed. */
export function fold(s: string): string {
  return stripDiacritics(s).toLowerCase().replace(/\s+/g, ' ').trim();
}
