export { fileRoutes } from './routes';
export { cleanName, type FileLimits, type FileRelations, FileService, fileInfoOf } from './service';
export { type FileStorage, FolderStorage } from './storage';
export { FileTokens } from './tokens';
