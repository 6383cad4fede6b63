/** A small workspace for the mail tests: a few units with e-mails (one without), the templates of a year generated. */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runHoctap } from './cli.ts';

export const OWNER = 'sgddt@example.vn';

export const unitAddress = (code: string) => `vanthu.${code.toLowerCase()}@example.vn`;

/** `count` local units with e-mails, and SGDDT without one; the templates of `year` generated. */
export function mailWorkspace(dir: string, count: number, mail: Record<string, unknown>, year = 2024): { ws: string; units: string[] } {
  const ws = path.join(dir, 'ws');
  const init = runHoctap(['init', ws]);
  if (init.status !== 0) throw new Error(init.stderr);
  const lines = fs.readFileSync(path.join(ws, 'roster.csv'), 'utf8').trim().split('\n');
  const local = lines.filter((l) => l.includes(',UBND,')).slice(0, count);
  const units = local.map((l) => l.split(',')[0]);
  const sgd = lines.find((l) => l.startsWith('SGDDT,'))!;
  fs.writeFileSync(path.join(ws, 'roster.csv'), [lines[0], sgd, ...local.map((l) => l.replace(/,UBND,[^,]*/, `,UBND,${unitAddress(l.split(',')[0])}`))].join('\n') + '\n');
  const config = JSON.parse(fs.readFileSync(path.join(ws, 'hoctap.config.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(ws, 'hoctap.config.json'), JSON.stringify({ ...config, mail: { from: `Sở GDĐT <${OWNER}>`, ...mail } }, null, 2));
  const gen = runHoctap(['-w', ws, 'generate-templates', '--year', String(year)]);
  if (gen.status !== 0) throw new Error(gen.stderr);
  return { ws, units };
}

export interface ParsedMail {
  file: string; to: string[]; from: string; subject: string; body: string; message_id: string; x_unsent: string;
  attachments: { name: string; sha256: string; type: string }[];
}

/** Messages read by Python's email package. */
export function pythonRead(files: string[]): ParsedMail[] {
  if (!files.length) return [];
  return JSON.parse(execFileSync('/usr/bin/python3', [path.join(import.meta.dirname, 'read-mail.py'), ...files], { encoding: 'utf8' })) as ParsedMail[];
}
