/** The closing (partial closing.hbs): the last sentence, "Nơi nhận" and the signature block. */
import type { AgencyKind } from '../../catalog/types.ts';
import type { Unit } from '../../catalog/workspace.ts';
import { fold } from '../../vi/fold.ts';
import { viUpper } from '../format.ts';
import type { ModelContext } from './context.ts';
import type { ClosingModel } from './types.ts';
import { trimPunct } from './text.ts';

/**
 * Kinds of reporting unit "Nơi nhận" does not name from the roster: the departments, which the profile's recipients
 * address together ("Các Sở, ban, ngành Thành phố"), and the expert panel, which is no body the report is sent to.
 */
const ADDRESSED_BY_PROFILE: ReadonlySet<AgencyKind> = new Set<AgencyKind>(['department', 'panel']);

/** A recipient line compared loosely: marks, case, "các", a parenthesis ("(để báo cáo)") and the final stop aside. */
const sameKey = (s: string) => fold(trimPunct(s).replace(/\([^)]*\)/g, ' ')).replace(/\bcac\b/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The reporting units of the roster as "Nơi nhận" names them, in roster order: an agency of several units (the districts,
 * the Ủy ban Mặt trận Tổ quốc with the political-social organisations, the universities) by the agency's name, a unit
 * alone by its own; the issuing department never.
 */
function rosterRecipients(ctx: ModelContext): string[] {
  const byAgency = new Map<string, Unit[]>();
  for (const u of ctx.input.roster) {
    if (ADDRESSED_BY_PROFILE.has(u.agencyKind) || u.code === ctx.leadUnit?.code) continue;
    (byAgency.get(u.agencyCode) ?? byAgency.set(u.agencyCode, []).get(u.agencyCode)!).push(u);
  }
  return [...byAgency.entries()].map(([code, units]) => (units.length === 1 ? units[0].name : ctx.input.catalog.agencyByCode.get(code)?.name ?? units[0].name));
}

/**
 * "Nơi nhận": the profile's recipients (the bodies reported to, the departments together), then the reporting units of
 * the year's roster. A profile line that names a unit or group of the roster ("Ủy ban nhân dân các quận, huyện …") is
 * kept in its words, at the roster's place; each recipient once.
 */
export function recipientLines(ctx: ModelContext): string[] {
  const own = ctx.input.profile.recipients.map(trimPunct).filter(Boolean);
  const derived = rosterRecipients(ctx);
  const derivedKeys = new Set(derived.map(sameKey));
  const lines = [...own.filter((l) => !derivedKeys.has(sameKey(l))), ...derived.map((d) => own.find((l) => sameKey(l) === sameKey(d)) ?? d)];
  const seen = new Set<string>();
  return lines.filter((l) => !seen.has(sameKey(l)) && seen.add(sameKey(l)));
}

export function buildClosing(ctx: ModelContext): { closingSentence: string; closing: ClosingModel } {
  const { profile } = ctx.input;
  const recipients = [...recipientLines(ctx).map((r) => `- ${r};`), `- Lưu: VT${profile.archiveUnit ? `, ${trimPunct(profile.archiveUnit)}` : ''}.`];
  return {
    closingSentence: `Trên đây là báo cáo ${ctx.subjectLower} của ${profile.issuingBody}./.`,
    closing: {
      recipientsLabel: 'Nơi nhận:',
      recipients,
      authority: viUpper(profile.signer.authority),
      title: viUpper(profile.signer.title),
      name: profile.signer.name,
    },
  };
}
