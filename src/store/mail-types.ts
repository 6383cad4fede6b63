/**
 * The store's words for mail (docs/mail.md): the outbox of messages sent to the units and the messages read from the
 * mailbox. Part of the Store interface (store.ts re-exports them).
 */

/** The kinds of message `send` writes to the units. */
export type MailKind = 'templates' | 'feedback' | 'reminders';

/**
 * Where a message of the outbox is: being handed to the mail server (recorded before), sent (the server took it),
 * failed (the server refused it: not delivered, tried again by the next run), drafted (written as a .eml draft).
 */
export type OutboxState = 'sending' | 'sent' | 'failed' | 'drafted';

/** A message of the outbox, before it is handed over. */
export interface NewOutboxEntry {
  unitCode: string;
  year: number;
  kind: MailKind;
  /** The round of the kind this message is (one message per unit, year, kind and key): 'nam', a sha256, a day. */
  dedupKey: string;
  /** The addresses, comma-separated. */
  recipients: string;
  subject: string;
  attachmentName: string | null;
  attachmentSha256: string | null;
  messageId: string;
  via: 'smtp' | 'draft';
  /** Who hands it over: host and process id. */
  owner: string;
  at: string;
}

export interface OutboxEntry extends Omit<NewOutboxEntry, 'at' | 'owner'> {
  id: number;
  state: OutboxState;
  owner: string | null;
  attempts: number;
  createdAt: string;
  handedAt: string;
  doneAt: string | null;
  /** The server's answer, or why it failed. */
  result: string | null;
}

/**
 * A claim on a message of the outbox: claimed (recorded as 'sending', committed: hand it over now), or not, with the
 * entry that stands in the way (sent or drafted already; being sent, or left 'sending' by a run that stopped).
 */
export type OutboxClaim = { claimed: true; entry: OutboxEntry } | { claimed: false; entry: OutboxEntry };

/** A message read from the mailbox (fetch-mail), claimed before its attachments are ingested. */
export interface NewSeenMessage {
  /** The message's Message-ID, or the sha256 of its bytes when it has none. */
  messageKey: string;
  mailbox: string;
  uid: number | null;
  sender: string | null;
  subject: string | null;
  receivedAt: string | null;
  /** The unit and year its In-Reply-To/References name (a reply to a template mail), if any. */
  unitCode: string | null;
  year: number | null;
  owner: string;
  at: string;
}

export interface SeenMessage extends Omit<NewSeenMessage, 'at' | 'owner'> {
  id: number;
  state: 'claimed' | 'done';
  owner: string | null;
  claimedAt: string;
  doneAt: string | null;
  archivePath: string | null;
  result: string | null;
}
