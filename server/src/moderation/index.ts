/**
 * Reports and moderation (#15): users report people they can see; operators warn, suspend or
 * delete through the admin API; a suspended account is refused at login (the `admit` gate).
 */
export { reportCosts, reportHandlers } from './handlers';
export { ModerationRepo } from './repo';
export {
  type AccountRemoval,
  type ActionKind,
  type ActionView,
  type ModerationDeps,
  ModerationService,
  type ReportView,
  type SceneCompanions,
  type SessionEnder,
  type UserDelivery,
} from './service';
