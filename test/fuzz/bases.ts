/**
 * The valid files every mutation starts from: templates generated for a few units and filled with plausible values
 * (their inputs together hold every field kind), a CSV export of a unit's figures, and saved e-mails written by
 * Python's email package around a valid workbook and CSV. Built once per process and cached.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Unit, Workspace } from '../../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../../src/templates/generate.ts';
import { fillTemplate, plausibleValues } from '../../fixtures/fill.ts';
import { smallCsv } from '../helpers/csv.ts';
import { tempDir } from '../helpers/tools.ts';

export const YEAR = 2024;
/** Units whose workbooks are mutated (a district, two departments, the expert panel: every field kind). */
export const XLSX_UNITS = ['Q1', 'SGDDT', 'SKHCN', 'CHUYENGIA'] as const;
/** The unit whose CSV export is mutated (a number, a direction, a percent and Vietnamese text among its figures). */
export const CSV_UNIT = 'STC';
/** The unit whose e-mails are mutated (the workbook attached), and the CSV unit beside it in two.eml. */
export const EMAIL_UNIT = 'Q3';
/** Units whose valid files sit in a batch beside damaged ones: none of them is the unit of a damaged file. */
export const VALID_UNITS = ['Q5', 'SYT', 'SVHTTDL'] as const;
export const EMAIL_NAMES = ['plain', 'two', 'forwarded', 'vietnamese', 'alternative'] as const;

export interface Bases {
  xlsx: Map<string, Buffer>;
  csv: Buffer;
  eml: Map<(typeof EMAIL_NAMES)[number], Buffer>;
  /** Valid files of VALID_UNITS, each in a few versions (seeds), as they would be sent again and again. */
  valid: (unit: string, version: number) => Promise<{ name: string; bytes: Buffer }>;
}

const unitOf = (ws: Workspace, code: string): Unit => {
  const u = ws.roster.find((x) => x.code === code);
  if (!u) throw new Error(`fuzz bases: no unit ${code} in the roster`);
  return u;
};

/** A unit's template for YEAR, filled with plausible values (seed varies the figures). */
export async function filledWorkbook(ws: Workspace, code: string, seed = 3): Promise<Buffer> {
  const unit = unitOf(ws, code);
  const wb = await buildTemplateWorkbook(ws, unit, YEAR, { generatedAt: new Date(Date.UTC(YEAR, 9, 1)) });
  return fillTemplate(wb, plausibleValues(ws, unit, { seed }));
}

/** Every figure of a unit as the long CSV form, Vietnamese decimals, with a note column (one note filled). */
export function fullCsv(ws: Workspace, code: string, seed = 3): Buffer {
  const lines = smallCsv(ws, unitOf(ws, code), YEAR, { seed, indicators: 1000 }).trimEnd().split('\n');
  const withNote = lines.map((l, i) => (i === 0 ? `${l},note` : i === 1 ? `${l},"theo báo cáo, số liệu năm ${YEAR}"` : `${l},`));
  return Buffer.from(withNote.join('\r\n') + '\r\n', 'utf8');
}

function emails(xlsx: Buffer, csv: Buffer, sender: string): Map<(typeof EMAIL_NAMES)[number], Buffer> {
  const dir = tempDir('hoctap-fuzz-eml-');
  try {
    fs.writeFileSync(path.join(dir, 'in.xlsx'), xlsx);
    fs.writeFileSync(path.join(dir, 'in.csv'), csv);
    execFileSync('/usr/bin/python3', [path.join(import.meta.dirname, 'make-emails.py'), dir, path.join(dir, 'in.xlsx'), path.join(dir, 'in.csv'), sender]);
    return new Map(EMAIL_NAMES.map((n) => [n, fs.readFileSync(path.join(dir, `${n}.eml`))]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let cached: Promise<Bases> | null = null;

/** The bases, built with the first workspace asked (templates depend only on the seeded catalog and roster). */
export function bases(ws: Workspace): Promise<Bases> {
  cached ??= (async () => {
    const xlsx = new Map<string, Buffer>();
    for (const code of XLSX_UNITS) xlsx.set(code, await filledWorkbook(ws, code));
    const emailUnit = await filledWorkbook(ws, EMAIL_UNIT);
    const csv = fullCsv(ws, CSV_UNIT);
    const versions = new Map<string, Promise<{ name: string; bytes: Buffer }>>();
    const valid = (unit: string, version: number) => {
      const key = `${unit}|${version}`;
      let v = versions.get(key);
      if (!v) {
        // SYT answers by CSV, the others by workbook: a batch holds both kinds of valid file.
        v = unit === 'SYT'
          ? Promise.resolve({ name: `${unit}.csv`, bytes: fullCsv(ws, unit, 10 + version) })
          : filledWorkbook(ws, unit, 10 + version).then((bytes) => ({ name: `${unit}.xlsx`, bytes }));
        versions.set(key, v);
      }
      return v;
    };
    return { xlsx, csv, eml: emails(emailUnit, fullCsv(ws, 'SGDDT'), unitOf(ws, EMAIL_UNIT).email || 'vanthu@example.vn'), valid };
  })();
  return cached;
}
