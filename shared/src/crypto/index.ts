export * from './bytes';
export * from './scram';
export * from './session';
