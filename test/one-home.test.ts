/** One home each: folding Vietnamese, the clock for file names, atomic writes and a damaged year snapshot. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStamp, storedInstant } from '../src/dates.ts';
import { fold, stripDiacritics } from '../src/vi/fold.ts';
import { asciiSlug } from '../src/templates/naming.ts';
import { produceFileAtomic, writeFileAtomic } from '../src/fs/atomic.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

describe('folding Vietnamese', () => {
  it('folds marks, đ and case the same way for typed words and file names', () => {
    expect(fold('  TĂNG   Đều ')).toBe('tang deu');
    expect(stripDiacritics('Ủy ban nhân dân Quận Đống Đa')).toBe('Uy ban nhan dan Quan Dong Da');
    expect(asciiSlug('Ủy ban nhân dân Quận Đống Đa')).toBe('Uy-ban-nhan-dan-Quan-Dong-Da');
  });
});

describe('the clock', () => {
  it('stores UTC and names files in Vietnam time, whatever the machine zone', () => {
    const instant = new Date('2024-12-09T20:30:05Z'); // 03:30:05 on 10/12 in Vietnam
    expect(storedInstant(instant)).toBe('2024-12-09T20:30:05.000Z');
    expect(fileStamp(instant)).toBe('2024-12-10_033005');
  });
});

describe('atomic writes', () => {
  it('replaces the file whole and leaves no temporary file, also when the writer fails', async () => {
    const dir = tempDir('atomic-');
    const file = path.join(dir, 'a.json');
    fs.writeFileSync(file, 'old');
    writeFileAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    await expect(produceFileAtomic(file, (tmp) => {
      fs.writeFileSync(tmp, 'half');
      throw new Error('disk full');
    })).rejects.toThrow('disk full');
    // The old content stays, and the half-written temporary file is gone (it was there: the writer wrote it).
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });
});

describe('a year snapshot cut short', () => {
  it('is said, and generate-templates writes it anew', () => {
    const ws = tempDir('snapshot-');
    expect(runHoctap(['init', ws]).status).toBe(0);
    expect(runHoctap(['-w', ws, 'generate-templates', '--year', '2024', '--unit', 'Q1']).status).toBe(0);
    const snap = path.join(ws, 'years', '2024', 'snapshot.json');
    const whole = fs.readFileSync(snap, 'utf8');
    fs.writeFileSync(snap, whole.slice(0, Math.floor(whole.length / 2)));
    const status = runHoctap(['-w', ws, 'status', '--year', '2024']);
    expect(status.stderr).toContain('snapshot.json');
    expect(status.stderr).toContain('bị hỏng');
    const again = runHoctap(['-w', ws, 'generate-templates', '--year', '2024', '--unit', 'Q1', '--force']);
    expect(again.status).toBe(0);
    const rewritten = JSON.parse(fs.readFileSync(snap, 'utf8')) as { year: number; roster: unknown[] };
    expect(rewritten.year).toBe(2024);
    expect(rewritten.roster.length).toBeGreaterThan(20);
    expect(runHoctap(['-w', ws, 'status', '--year', '2024']).stderr).not.toContain('bị hỏng');
  });
});
