export { Conversations } from './conversations';
export { messagingCosts, messagingHandlers } from './handlers';
export { type ReceiptPorts, Receipts } from './receipts';
export { RetentionSweeper } from './retention';
export { type Ack, type Delivery, MessagingService, type Relations, type RouteOptions } from './service';
export { MessageStore } from './store';
export { checkText } from './text';
export { iceServersFor } from './turn';
