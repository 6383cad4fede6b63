/**
 * The template's target column: the year's roadmap target and the criterion threshold of each indicator, worded from
 * the targets in force (src/catalog/targets.ts, the rule the score and the report follow too).
 */
import { describeTarget, laterMilestoneNote, targetLabel, targetsInForce } from '../catalog/targets.ts';
import type { Indicator } from '../catalog/types.ts';
import type { Workspace } from '../catalog/workspace.ts';

/**
 * Target texts already written, per indicator (of a loaded catalog) and year: every template of a year repeats them,
 * and number formatting in Vietnamese (toLocaleString) is slow enough to show in the profile of 3,000 templates.
 */
const targetTextCache = new WeakMap<Indicator, Map<number, string>>();

/** The target text of an indicator for a year: the year's roadmap target and the criterion threshold. */
export function targetTextForYear(_ws: Workspace, ind: Indicator, year: number): string {
  let byYear = targetTextCache.get(ind);
  if (!byYear) targetTextCache.set(ind, (byYear = new Map()));
  let text = byYear.get(year);
  if (text === undefined) byYear.set(year, (text = buildTargetText(ind, year)));
  return text;
}

function buildTargetText(ind: Indicator, year: number): string {
  const inForce = targetsInForce(ind, year);
  const lines: string[] = [];
  for (const m of ind.measures) {
    const roadmap = inForce.roadmap.filter((t) => t.measureId === m.id);
    const threshold = inForce.threshold.filter((t) => t.measureId === m.id);
    // A later milestone is progress to make, not a target of this year (issue 23): named as the milestone it is.
    const yearLabel = inForce.ownYear ? `Năm ${year}` : `Tiến tới ${laterMilestoneNote(inForce.milestoneYear!)}`;
    const parts = [
      ...roadmap.map((t) => `${yearLabel}: ${describeTarget(t, m.unit)}`),
      ...threshold.map((t) => (roadmap.length ? `${targetLabel(t)}: ${describeTarget(t, m.unit)}` : describeTarget(t, m.unit))),
    ];
    if (!parts.length) {
      if (!ind.targets.some((t) => t.measureId === m.id)) continue;
      parts.push(`Năm ${year}: không có chỉ tiêu`);
    }
    lines.push((ind.measures.filter((x) => ind.targets.some((t) => t.measureId === x.id)).length > 1 ? `${m.label}: ` : '') + parts.join(' · '));
  }
  return lines.join('\n') || 'Theo dõi, không có chỉ tiêu';
}
