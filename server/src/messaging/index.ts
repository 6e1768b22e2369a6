export { messagingCosts, messagingHandlers } from './handlers';
export { type Delivery, MessagingService, type Relations } from './service';
export { checkText } from './text';
export { iceServersFor } from './turn';
