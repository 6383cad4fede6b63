/**
 * generate-templates writes a file while it builds the next one (src/templates/generate.ts): a file that cannot be
 * written still stops the run with the one-line reason, the files before it are whole, none after it is written, and no
 * temporary file is left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { UserError } from '../src/errors.ts';
import { generateTemplates, templateFileName } from '../src/templates/generate.ts';
import { tempDir } from './helpers/tools.ts';

const dir = tempDir('hoctap-tpl-write-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('generate-templates writing while it builds', () => {
  it('stops at a file it cannot write, with the reason, the files before it whole and nothing half-written', async () => {
    const ws = openWorkspace(path.join(dir, 'ws'));
    const out = path.join(dir, 'out');
    const units = ws.roster.filter((u) => u.agencyKind === 'local').slice(0, 4);
    expect(units).toHaveLength(4);
    // The third unit's file is a folder that is not empty: renaming the written file over it fails.
    const blocked = path.join(out, templateFileName(units[2], 2024));
    fs.mkdirSync(path.join(blocked, 'x'), { recursive: true });
    const seen: string[] = [];
    const run = generateTemplates(ws, { year: 2024, outDir: out, force: true, units: units.map((u) => u.code), onProgress: (_d, _t, u) => seen.push(u.code) });
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(`Không ghi được tệp ${blocked}`);
    expect(seen).toEqual([units[0].code, units[1].code]);
    for (const u of units.slice(0, 2)) {
      const bytes = fs.readFileSync(path.join(out, templateFileName(u, 2024)));
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
      expect(bytes.readUInt32LE(bytes.length - 22)).toBe(0x06054b50); // the zip's end: the file is whole
    }
    expect(fs.existsSync(path.join(out, templateFileName(units[3], 2024)))).toBe(false);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
