/** The bundled report templates: one partial per part of the document, none copying another. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TEMPLATES_DIR, PARTIALS_DIR } from '../src/report/html.ts';

const dir = path.join(BUNDLED_TEMPLATES_DIR, PARTIALS_DIR);
const partials = fs.readdirSync(dir).filter((f) => f.endsWith('.hbs')).map((f) => ({
  name: f,
  lines: fs.readFileSync(path.join(dir, f), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !/^\{\{\/(if|each|unless)\}\}$/.test(l)),
}));

describe('report partials', () => {
  it('share markup through partials instead of copying it: no three lines in a row appear in two partials', () => {
    const seen = new Map<string, string>();
    const copies: string[] = [];
    for (const p of partials) {
      for (let k = 0; k + 3 <= p.lines.length; k++) {
        const run = p.lines.slice(k, k + 3).join('\n');
        const other = seen.get(run);
        if (other && other !== p.name) copies.push(`${p.name} ↔ ${other}:\n${run}`);
        else seen.set(run, p.name);
      }
    }
    expect(copies).toEqual([]);
  });

  it('print the units\' texts from one partial (Phụ lục III), and each section\'s body from one partial', () => {
    const users = (partial: string) => partials.filter((p) => p.lines.some((l) => l.includes(`{{> ${partial}`))).map((p) => p.name).sort();
    expect(users('unit-texts')).toEqual(['appendix-texts.hbs']);
    expect(users('narrative-body')).toEqual(['difficulties.hbs', 'narrative.hbs']);
    // Issue 23 added Phụ lục IV (by unit) and Phụ lục V (commendations): they take their heading from the same partial.
    expect(users('appendix-head')).toEqual(['appendix-by-unit.hbs', 'appendix-commendations.hbs', 'appendix-indicators.hbs', 'appendix-texts.hbs', 'appendix-units.hbs']);
    const printers = partials.filter((p) => p.lines.some((l) => l.includes('class="unit-name"')));
    expect(printers.map((p) => p.name)).toEqual(['unit-texts.hbs']);
  });
});
