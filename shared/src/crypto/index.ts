export * from './bytes';
export * from './scram';
export * from './session';
export * from './resume';
