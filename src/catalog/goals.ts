/** The plan's goals on the whole set of criteria (000: "Hoàn thành 100% tiêu chí, chỉ số" by 2030). */
import type { Goal } from './types.ts';

/**
 * The goals a year's report speaks of: the year's own goal or, before it, the next later one (the report then says
 * "mốc năm 2030"). The share of criteria met comes from the score's roll-up.
 */
export function goalsInForce(goals: Goal[], year: number): { goal: Goal; ownYear: boolean }[] {
  const later = goals.filter((g) => g.year >= year).sort((a, b) => a.year - b.year);
  if (!later.length) return [];
  return later.filter((g) => g.year === later[0].year).map((goal) => ({ goal, ownYear: goal.year === year }));
}

/** Whether a goal is reached, given the share (0–100) of criteria met. */
export function goalMet(goal: Goal, sharePercent: number): boolean {
  return sharePercent >= goal.value;
}
