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
export type {
  AppendInput,
  ConversationSummary,
  HistoryMessage,
  HistoryPage,
  HistoryQuery,
  StoredMessage,
  SummaryPage,
} from './types';
