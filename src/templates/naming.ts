/** Names as the templates write them: the file name of a unit's template. */
import type { Unit } from '../catalog/workspace.ts';
import { stripDiacritics } from '../vi/fold.ts';

/** ASCII, file-system-safe and still readable: "Ủy ban nhân dân Quận 1" → "Uy-ban-nhan-dan-Quan-1". */
export function asciiSlug(text: string, maxLength = 60): string {
  const slug = stripDiacritics(text)
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}

/** "2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx": the year first so that a folder of several years sorts well. */
export function templateFileName(unit: Unit, year: number): string {
  const slug = asciiSlug(unit.name);
  return `${year}_${unit.code}${slug ? `_${slug}` : ''}.xlsx`;
}
