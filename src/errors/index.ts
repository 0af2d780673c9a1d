export * from './errors.ts';
export { toUserText, type UserText } from './to-user-text.ts';
