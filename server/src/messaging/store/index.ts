export { directParticipants as participants } from '@imw/shared';
export {
  APPEND_BATCH_MAX,
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  SUMMARIES_MAX,
  UNREAD_COUNT_CAP,
} from './limits';
export { MessageStore } from './message-store';
export type { PublishedReceipt } from './receipts';
export { REACTIONS_PER_USER_MAX } from './rich';
export { param, rows } from './sql-util';
export type {
  AppendInput,
  ConversationSummary,
  HistoryMessage,
  HistoryPage,
  HistoryQuery,
  ReactionSummary,
  StoredMessage,
  SummaryPage,
} from './types';
