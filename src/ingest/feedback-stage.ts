/**
 * The feedback stage of one file: a copy of the unit's file with its findings marked, for the unit to correct. The
 * figures are stored (once the batch commits) whatever happens here: a copy that cannot be written is said, not fatal.
 */
import fs from 'node:fs';
import { finding } from '../findings/codes.ts';
import type { FileCheck, Parsed } from './check.ts';
import { feedbackPathFor, writeCsvFeedback, writeXlsxFeedback } from './feedback.ts';
import { fileMessage } from './messages.ts';
import type { BatchContext } from './one-file.ts';
import { tally } from './tally.ts';
import type { FileResult } from './types.ts';

export async function writeFeedbackCopy(c: BatchContext, filePath: string, parsed: Parsed, check: FileCheck, result: FileResult): Promise<void> {
  const failed = (e: Error) => {
    result.feedbackPath = null;
    result.messages.push(fileMessage(finding('feedback_failed', { error: e.message }), result.file));
    tally(result);
  };
  const out = feedbackPathFor(c.feedbackDir!, filePath, parsed.kind === 'xlsx' ? '.xlsx' : '.csv', c.taken);
  const tmp = c.feedback.temporary(out, result.sha256);
  try {
    if (parsed.kind === 'xlsx') await writeXlsxFeedback(parsed.source, result.messages, check.missing.map((m) => m.loc!).filter(Boolean), tmp);
    else writeCsvFeedback(parsed.csv.records, parsed.csv.delimiter, result.messages, tmp);
    result.feedbackPath = out;
    c.feedback.written(tmp, out, failed);
    c.onStep?.('feedback');
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    failed(e as Error);
  }
}
