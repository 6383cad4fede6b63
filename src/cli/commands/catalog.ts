import type { Command } from 'commander';
import { describeTarget, laterMilestoneNote, targetLabel, targetListInForce } from '../../catalog/targets.ts';
import type { Catalog, Indicator, Target } from '../../catalog/types.ts';
import { UserError } from '../../errors.ts';
import { parseFormat, parseYear, renderCsv, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

/** The stable JSON shape of one indicator (documented in docs/templates.md). */
export function indicatorJson(c: Catalog, ind: Indicator, year: number | undefined) {
  const criterion = c.criterionById.get(ind.criterionId)!;
  const standard = c.standardById.get(ind.standardId)!;
  const area = c.areaById.get(ind.areaId)!;
  return {
    id: ind.id,
    area: { id: area.id, name: area.name },
    standard: { id: standard.id, name: standard.name },
    criterion: { id: criterion.id, name: criterion.name },
    text: ind.text,
    agencies: ind.agencyCodes.map((code) => ({ code, name: c.agencyByCode.get(code)!.name })),
    measures: ind.measures.map((m) => ({ id: m.id, label: m.label, derive: m.derive, unit: m.unit })),
    fields: ind.fields.map((f) => ({ id: f.id, label: f.label, kind: f.kind, unit: f.unit, role: f.role, measure: f.measureId })),
    targets: listedTargets(ind, year).map((t) => ({
      measure: t.measureId, year: t.year, comparator: t.comparator, value: t.value, valueMax: t.valueMax,
      text: describeTarget(t, c.measureById.get(t.measureId)!.unit), source: t.source, note: t.note,
      laterMilestone: year !== undefined && t.year !== null && t.year > year,
    })),
    note: ind.note,
  };
}

/** With a year: the targets in force that year (the catalog's one rule); without: every target. */
function listedTargets(ind: Indicator, year: number | undefined): Target[] {
  if (year === undefined) return ind.targets;
  const inForce = new Set(targetListInForce(ind, year));
  return ind.targets.filter((t) => inForce.has(t));
}

/** "Ngưỡng: ≥ 90%", "2025: ≥ 50%", and for a later milestone used in the year "Theo mốc năm 2025: ≥ 90%". */
function targetLine(c: Catalog, t: Target, year: number | undefined): string {
  const later = year !== undefined && t.year !== null && t.year > year;
  const who = later ? `Theo ${laterMilestoneNote(t.year!)}` : t.year === null ? targetLabel(t) : String(t.year);
  return `${who}: ${describeTarget(t, c.measureById.get(t.measureId)!.unit)}`;
}

export function registerCatalog(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('catalog')
    .description('liệt kê các chỉ số: tiêu chí, đơn vị phụ trách, ô số liệu và chỉ tiêu đang áp dụng')
    .option('--agency <mã>', 'chỉ các chỉ số giao cho cơ quan này (ví dụ GDDT, UBND)')
    .option('--year <năm>', 'chỉ tiêu áp dụng cho năm này (ngưỡng của tiêu chí và chỉ tiêu lộ trình của năm)')
    .option('--format <dạng>', 'table (mặc định), json hoặc csv')
    .addHelpText('after', `
Ví dụ:
  hoctap catalog --agency GDDT --year 2025
  hoctap catalog --format json > danh-muc.json
  hoctap catalog --agency UBND --format csv > chi-so-ubnd.csv`)
    .action((opts: { agency?: string; year?: string; format?: string }, cmd: Command) => {
      const year = parseYear(opts.year);
      const ws = workspaceOf(cmd, year);
      const c = ws.catalog;
      const format = parseFormat(opts.format, ['table', 'json', 'csv'] as const, 'table');
      if (opts.agency && !c.agencyByCode.has(opts.agency)) {
        throw new UserError(`Không có cơ quan mã "${opts.agency}". Các mã: ${c.agencies.map((a) => a.code).join(', ')}.`);
      }
      const list = c.indicators.filter((i) => !opts.agency || i.agencyCodes.includes(opts.agency));
      if (format === 'json') {
        process.stdout.write(renderJson({
          catalogVersion: c.version, profile: ws.profile.id, year: year ?? null,
          indicators: list.map((i) => indicatorJson(c, i, year)),
          goals: c.goals.map(({ id, year: y, scope, comparator, value, source, text, note }) => ({ id, year: y, scope, comparator, value, source, text, note })),
        }));
        return;
      }
      const targetText = (i: Indicator) => listedTargets(i, year).map((t) => targetLine(c, t, year)).join('\n');
      if (format === 'csv') {
        process.stdout.write(renderCsv(
          ['id', 'area', 'standard', 'criterion', 'text', 'agencies', 'fields', 'targets'],
          list.map((i) => [i.id, i.areaId, i.standardId, i.criterionId, i.text, i.agencyCodes.join(';'), i.fields.map((f) => `${f.id}:${f.kind}`).join(';'), targetText(i).replace(/\n/g, '; ')]),
        ));
        return;
      }
      process.stdout.write(renderTable(
        ['Chỉ số', 'Nội dung', 'Phụ trách', 'Số liệu', 'Chỉ tiêu'],
        list.map((i) => [i.id, i.text, i.agencyCodes.join(', '), i.fields.filter((f) => f.role !== 'evidence').map((f) => `${f.label}${f.unit ? ` (${f.unit})` : ''}`).join('\n'), targetText(i)]),
        [11, 70, 12, 50, 28], { dropOrder: [3, 2] },
      ) + '\n');
      process.stdout.write(`${list.length} chỉ số · phiên bản danh mục ${c.version}${year ? ` · chỉ tiêu năm ${year}` : ''}\n`);
    });
}
