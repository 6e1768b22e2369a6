export { MessageActions } from './actions';
export { Conversations } from './conversations';
export { FileService, type FileStorage, FileTokens, FolderStorage, fileRoutes } from './files';
export { messagingCosts, messagingHandlers } from './handlers';
export { RetentionSweeper } from './retention';
export { type Ack, type Delivery, MessagingService, type Relations, type RouteOptions } from './service';
export { MessageStore } from './store';
export { checkText } from './text';
export { iceServersFor } from './turn';
