export * from './bytes';
export * from './resume';
export * from './scram';
export * from './session';
