/** What was sent to the units and read from the mailbox, for `history` and `status`. */
import { openStoreForReading } from '../store/open.ts';
import type { OutboxEntry, SeenMessage } from '../store/store.ts';

export interface MailHistory { sent: OutboxEntry[]; received: SeenMessage[] }

export async function readMailHistory(dbPath: string, filter: { unitCode?: string; year?: number }): Promise<MailHistory> {
  const db = await openStoreForReading(dbPath);
  if (!db) return { sent: [], received: [] };
  try {
    return { sent: await db.outbox(filter), received: (await db.seenMessages(filter)).filter((m) => m.unitCode !== null) };
  } finally {
    await db.close();
  }
}
