/** The closing (partial closing.hbs): the last sentence, "Nơi nhận" and the signature block. */
import { viUpper } from '../format.ts';
import type { ModelContext } from './context.ts';
import type { ClosingModel } from './types.ts';
import { trimPunct } from './text.ts';

export function buildClosing(ctx: ModelContext): { closingSentence: string; closing: ClosingModel } {
  const { profile } = ctx.input;
  const recipients = [...profile.recipients.map((r) => `- ${trimPunct(r)};`), `- Lưu: VT${profile.archiveUnit ? `, ${trimPunct(profile.archiveUnit)}` : ''}.`];
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
