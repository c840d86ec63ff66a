export * from './engine';
export * from './facts';
export * from './checks';
export * from './organization-rules';
export * from './account-rules';
