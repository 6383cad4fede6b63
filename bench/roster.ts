/**
 * A national-scale roster for the benchmark: the default profile's units that are not local (26 in
 * its 2024 roster: departments, Mặt trận and organisations, universities) plus N local units
 * (agency UBND: communes, wards, special zones), with plausible Vietnamese names. Written as the workspace's roster.csv.
 */
import fs from 'node:fs';
import path from 'node:path';
import { profileDir, ROSTER_FILE } from '../src/catalog/workspace.ts';

const SYLLABLES = [
  'An', 'Bình', 'Phú', 'Tân', 'Long', 'Hòa', 'Thạnh', 'Phước', 'Hiệp', 'Thới', 'Mỹ', 'Đông', 'Tây', 'Nam', 'Bắc',
  'Trung', 'Vĩnh', 'Hưng', 'Lộc', 'Thuận', 'Đức', 'Quang', 'Minh', 'Xuân', 'Thanh', 'Hải', 'Sơn', 'Lâm', 'Hội', 'Nghĩa',
];
const KINDS = ['xã', 'phường', 'xã', 'phường', 'xã', 'đặc khu'] as const;

/** The name and code of local unit i (0-based): "Ủy ban nhân dân phường Tân Hòa", then "… Tân Hòa 2" when names repeat. */
export function localUnit(i: number): { code: string; name: string } {
  const n = SYLLABLES.length;
  const first = SYLLABLES[i % n];
  const second = SYLLABLES[Math.floor(i / n) % n];
  const round = Math.floor(i / (n * n));
  const kind = KINDS[i % KINDS.length];
  const place = first === second ? `${first} ${SYLLABLES[(i + 7) % n]}` : `${first} ${second}`;
  return { code: `XP${String(i + 1).padStart(4, '0')}`, name: `Ủy ban nhân dân ${kind} ${place}${round ? ` ${round + 1}` : ''}` };
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes roster.csv into `wsDir`: the profile's non-local units, then `units` local units. Returns the unit count. */
export function writeRoster(wsDir: string, units: number): number {
  const base = fs.readFileSync(path.join(profileDir('hcm'), ROSTER_FILE), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const header = base[0];
  const departments = base.slice(1).filter((line) => !/,UBND,/.test(line));
  const lines = [header, ...departments];
  // The profile's roster may carry more columns than these four (a `note` since the 2024 roster): leave them empty.
  const extra: string[] = new Array<string>(Math.max(0, header.split(',').length - 4)).fill('');
  for (let i = 0; i < units; i++) {
    const u = localUnit(i);
    lines.push([u.code, csvCell(u.name), 'UBND', `${u.code.toLowerCase()}@example.vn`, ...extra].join(','));
  }
  fs.mkdirSync(wsDir, { recursive: true });
  fs.writeFileSync(path.join(wsDir, ROSTER_FILE), lines.join('\n') + '\n');
  return lines.length - 1;
}
