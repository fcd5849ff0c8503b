export { createAsanaConnector, type AsanaConnector } from './connector';
export { asanaConfigSchema, type AsanaConfig, type AsanaConfigInput } from './config';
export { asanaAuthSchema, type AsanaAuth, type AsanaAuthInput } from './auth';
export { createAsanaClient, type AsanaClient, type AsanaClientDeps } from './client';
export { asanaRateLimitPolicy, asanaTokenUrlFor, TASK_OPT_FIELDS } from './provider';
export type { AsanaTask, AsanaCustomFieldValue } from './task-model';
export type { CreateTaskInput } from './create-task';
export type { UpdateTaskInput } from './update-task';
export type { ListTasksPageInput, TasksPage } from './list-project-tasks';
export type { AsanaUser } from './list-workspace-users';
export type { CreateWebhookInput, WebhookFilter } from './create-webhook';
export {
  encodeCustomFields,
  encodeCustomFieldValue,
  type CustomFieldMapping,
  type CustomFieldMappingEntry,
  type CustomFieldWrite,
  type AsanaFieldType,
} from './custom-field-values';
export { validateCustomFieldMapping, type MappingProblem } from './validate-mapping';
export { verifyAsanaSignature, signAsanaBody } from './webhook-signature';
export {
  classifyAsanaWebhookRequest,
  DELIVERY_REFUSED,
  HANDSHAKE_REFUSED,
  handshakeTokenOf,
  hashHandshakeToken,
  isOurTarget,
  newHandshakeToken,
  withHandshakeToken,
  type AsanaWebhookRequestKind,
} from './webhook-handshake';
export { asanaDeliverySchema, asanaEventSchema, asanaEventKey, isHeartbeat, type AsanaDelivery, type AsanaEvent } from './webhook-events';
