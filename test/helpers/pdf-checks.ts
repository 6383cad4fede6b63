/**
 * Reading a report's PDF as a reader and a clerk would, with poppler-utils: page sizes, the words and where they are,
 * how much ink a vertical rule leaves on the page; and converting a DOCX to PDF with LibreOffice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { tempDir } from './tools.ts';

const run = promisify(execFile);

export const poppler = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 }).normalize('NFC');

export interface PageSize { page: number; width: number; height: number; landscape: boolean }

export function pageSizes(pdf: string): PageSize[] {
  const info = poppler('pdfinfo', ['-f', '1', '-l', '100000', pdf]);
  return [...info.matchAll(/Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => {
    const width = Number(m[2]);
    const height = Number(m[3]);
    return { page: Number(m[1]), width, height, landscape: width > height };
  });
}

export interface Word { page: number; text: string; xMin: number; xMax: number; yMin: number; yMax: number }

/** Every word of the PDF with its box, in points from the page's top left corner. */
export function words(pdf: string): Word[] {
  const xml = poppler('pdftotext', ['-bbox', pdf, '-']);
  const out: Word[] = [];
  let page = 0;
  for (const m of xml.matchAll(/<page [^>]*>|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0].startsWith('<page')) { page++; continue; }
    out.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5] });
  }
  return out;
}

/** The text of a page's top margin (20 mm = 56.7 pt), where the page number goes. */
export function topMargin(pdf: string, page: number, width: number): string {
  return poppler('pdftotext', ['-f', String(page), '-l', String(page), '-x', '0', '-y', '0', '-W', String(Math.round(width)), '-H', '56', '-layout', pdf, '-']).trim();
}

/** Dark runs along one horizontal line of a page (at `y` pt), as [x in pt, ink width in pt], rendered at 1200 dpi. */
export function inkAlong(pdf: string, page: number, y: number, pageWidth: number): [number, number][] {
  const dpi = 1200;
  const buf = execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), '-x', '0',
    '-y', String(Math.round((y * dpi) / 72)), '-W', String(Math.round((pageWidth * dpi) / 72)), '-H', '1', pdf], { maxBuffer: 1 << 26 });
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.toString('latin1', 0, 50))!;
  const w = Number(m[1]);
  const off = m[0].length;
  const runs: [number, number][] = [];
  let start = -1;
  let ink = 0;
  for (let x = 0; x <= w; x++) {
    const v = x < w ? buf[off + x] : 255;
    if (v < 200) {
      if (start < 0) { start = x; ink = 0; }
      ink += 255 - v;
    } else if (start >= 0) {
      runs.push([(start * 72) / dpi, ((ink / 255) * 72) / dpi]);
      start = -1;
    }
  }
  return runs;
}

/**
 * A Times New Roman the way LibreOffice finds one: the font itself, or a metric-compatible stand-in (Liberation Serif,
 * Tinos). Without one LibreOffice draws the DOCX in another face and the layout checks mean nothing.
 */
export function timesFontFamily(): string | null {
  try {
    const family = execFileSync('fc-match', ['-f', '%{family}', 'Times New Roman'], { encoding: 'utf8' });
    return /Times New Roman|Liberation Serif|Tinos/i.test(family) ? family : null;
  } catch {
    return null;
  }
}

/** Converts a DOCX (or any document LibreOffice Writer opens) to PDF; returns the PDF's path. */
export async function libreOfficePdf(file: string, outDir: string): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  const profile = tempDir('hoctap-lo-profile-');
  try {
    await run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, file], { timeout: 240_000 });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const pdf = path.join(outDir, path.basename(file).replace(/\.[^.]+$/, '') + '.pdf');
  if (!fs.existsSync(pdf)) throw new Error(`LibreOffice không tạo được ${pdf}`);
  return pdf;
}

/** A file inside a DOCX/XLSX (a zip), read with unzip as any other reader would. */
export function zipEntry(file: string, entry: string): string {
  return execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export function zipEntries(file: string): string[] {
  return execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
