/**
 * The by-unit appendix (partial appendix-by-unit.hbs, docx/appendix-by-unit.ts): the figures of the indicators every
 * local People's Committee reports (districts up to 2024, communes from 2025), one row per unit, one column per measure,
 * the city figure on the last row. Until now only the XLSX had them.
 */
import { LEVEL_KEY } from '../../catalog/periods.ts';
import type { Measure } from '../../catalog/types.ts';
import { consolidateGroup, type UnitValue } from '../../scoring/consolidate.ts';
import type { IndicatorScore, MeasureScore } from '../../scoring/types.ts';
import { formatNumberVi } from '../../vi/numbers.ts';
import { viUpper } from '../format.ts';
import type { ModelContext } from './context.ts';

/** Beyond this many measures the table is cut into several, each with the units' column again. */
export const BY_UNIT_MAX_COLUMNS = 6;
/** What a cell shows when the unit has no figure in use (not sent, refused, held, or left empty). */
export const NO_FIGURE = '–';

export interface ByUnitColumn { indicatorId: string; measureId: string; label: string; unit: string }
export interface ByUnitRow { index: number; code: string; name: string; cells: string[] }
export interface ByUnitTable { columns: ByUnitColumn[]; rows: ByUnitRow[]; city: string[] }

export interface AppendixByUnitModel {
  /** False when no indicator is reported by local units (the appendix is then left out). */
  shown: boolean;
  label: string;
  title: string;
  attached: string;
  intro: string;
  tables: ByUnitTable[];
  note: string;
  /** Printed on landscape pages (FORMAT: landscape only for wide tables): more than PORTRAIT_MAX_COLUMNS measures side by side. */
  landscape: boolean;
}

/** Up to this many measure columns the table fits a portrait page. */
export const PORTRAIT_MAX_COLUMNS = 3;

/** The label the appendix carries: after Phụ lục I–III. */
export const BY_UNIT_LABEL = 'Phụ lục IV';

/** A unit's own figure for a measure, by the rule of the city's (a rate from its own counts), as the XLSX writes it. */
function unitFigure(m: Measure, values: Record<string, number | string | null>): number | null {
  const map = new Map<string, UnitValue>();
  for (const [fid, v] of Object.entries(values)) {
    if (v !== null) map.set(fid, typeof v === 'number' ? { num: v, text: null } : { num: null, text: v });
  }
  return consolidateGroup(m, [map]).value;
}

const figureText = (v: number | null, unit: string) => (v === null ? NO_FIGURE : formatNumberVi(v, unit === '%' ? 1 : 2));

function localIndicators(ctx: ModelContext): IndicatorScore[] {
  const { catalog, score } = ctx.input;
  return score.indicators.filter((i) => i.agencies.some((a) => catalog.agencyByCode.get(a.code)?.kind === 'local'));
}

/** The local units: the roster's, in its order, then any other unit that reported a local indicator. */
function localUnits(ctx: ModelContext, indicators: IndicatorScore[]): { code: string; name: string }[] {
  const { catalog, roster } = ctx.input;
  const units = roster.filter((u) => u.agencyKind === 'local').map((u) => ({ code: u.code, name: u.name }));
  const known = new Set(units.map((u) => u.code));
  for (const i of indicators) {
    for (const u of i.units) {
      const agency = ctx.agencyOf.get(u.unitCode);
      if (!known.has(u.unitCode) && agency && catalog.agencyByCode.get(agency)?.kind === 'local') {
        known.add(u.unitCode);
        units.push({ code: u.unitCode, name: u.unitName });
      }
    }
  }
  return units.sort((a, b) => ctx.byRoster(a.code, b.code));
}

function buildTable(ctx: ModelContext, units: { code: string; name: string }[], measures: { ind: IndicatorScore; ms: MeasureScore }[]): ByUnitTable {
  const { catalog } = ctx.input;
  const columns = measures.map(({ ind, ms }) => ({ indicatorId: ind.id, measureId: ms.id, label: ms.label, unit: ms.unit }));
  // Each indicator's units by code (the first of a code, as a search finds), once: searching its list for every unit
  // and column was quadratic (3,000 units).
  const valuesOf = new Map<IndicatorScore, Map<string, IndicatorScore['units'][number]['values']>>();
  for (const { ind } of measures) {
    if (valuesOf.has(ind)) continue;
    const byCode = new Map<string, IndicatorScore['units'][number]['values']>();
    for (const x of [...ind.units].reverse()) byCode.set(x.unitCode, x.values);
    valuesOf.set(ind, byCode);
  }
  const rows = units.map((u, k) => ({
    index: k + 1, code: u.code, name: u.name,
    cells: measures.map(({ ind, ms }) => {
      const m = catalog.measureById.get(ms.id);
      const values = valuesOf.get(ind)!.get(u.code);
      return figureText(m && values ? unitFigure(m, values) : null, ms.unit);
    }),
  }));
  return { columns, rows, city: measures.map(({ ms }) => figureText(ms.value, ms.unit)) };
}

export function buildAppendixByUnit(ctx: ModelContext): AppendixByUnitModel {
  const { catalog } = ctx.input;
  const indicators = localIndicators(ctx);
  const measures = indicators.flatMap((ind) => ind.measures.filter((ms) => ms.derive !== 'rating').map((ms) => ({ ind, ms })));
  const units = localUnits(ctx, indicators);
  const tables: ByUnitTable[] = [];
  for (let k = 0; k < measures.length; k += BY_UNIT_MAX_COLUMNS) tables.push(buildTable(ctx, units, measures.slice(k, k + BY_UNIT_MAX_COLUMNS)));
  const local = catalog.agencies.find((a) => a.kind === 'local');
  const level = catalog.words.get(LEVEL_KEY);
  return {
    shown: measures.length > 0 && units.length > 0,
    label: BY_UNIT_LABEL,
    title: `SỐ LIỆU CÁC CHỈ SỐ THEO TỪNG ĐƠN VỊ${level ? ` ${viUpper(level)}` : ''} NĂM ${ctx.year}`,
    attached: ctx.attached,
    intro: `Các chỉ số do ${local?.name ?? 'Ủy ban nhân dân địa phương'} báo cáo (${indicators.length} chỉ số, ${units.length} đơn vị). `
      + 'Số liệu của mỗi đơn vị tính từ tử số và mẫu số đơn vị gửi; dòng "Toàn thành phố" cộng tử số, mẫu số của các đơn vị rồi tính tỷ lệ.',
    tables,
    landscape: tables.some((t) => t.columns.length > PORTRAIT_MAX_COLUMNS),
    note: `Ghi chú: "${NO_FIGURE}" là đơn vị chưa có số liệu được sử dụng (chưa nộp, bị từ chối, chờ xác nhận hoặc để trống ô này).`,
  };
}
