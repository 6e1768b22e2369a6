export { fileRoutes } from './routes';
export { S3Storage, type S3StorageOptions } from './s3';
export { cleanName, type FileLimits, type FileRelations, FileService, fileInfoOf } from './service';
export { type FileStorage, FolderStorage } from './storage';
export { FileTokens } from './tokens';
