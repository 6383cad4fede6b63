import { describe, expect, it } from 'vitest';
import { formatDayVi, instantOfDay, parseDayInput } from '../src/dates.ts';
import { parseDate } from '../src/cli/commands/ingest.ts';

describe('dates as a person types and reads them', () => {
  it('reads yyyy-mm-dd and dd/mm/yyyy as the same day, and refuses days that do not exist', () => {
    expect(parseDayInput('2024-12-09')).toEqual({ year: 2024, month: 12, day: 9 });
    expect(parseDayInput('09/12/2024')).toEqual({ year: 2024, month: 12, day: 9 });
    expect(parseDayInput(' 9/12/2024 ')).toEqual({ year: 2024, month: 12, day: 9 });
    for (const bad of ['31/02/2024', '2024-13-01', '12/2024', '2024/12/09', 'hôm qua', '']) expect(parseDayInput(bad), bad).toBeNull();
  });

  it('--received-at 09/12/2024 is the 9th of December in Vietnam, as status and history print it', () => {
    const d = parseDate('09/12/2024')!;
    expect(d.getTime()).toBe(instantOfDay({ year: 2024, month: 12, day: 9 }).getTime());
    expect(formatDayVi(d)).toBe('09/12/2024');
    expect(formatDayVi(parseDate('2024-12-09')!)).toBe('09/12/2024');
  });
});
