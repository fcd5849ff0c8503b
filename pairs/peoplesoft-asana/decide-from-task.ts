import { type AsanaTask } from '../../connectors/asana';
import { parseRecordKey } from '../../connectors/peoplesoft';
import { PartnerError } from '../../core/partner-error';
import { DOCUMENT_KINDS, type DocumentKind, type PeopleSoftAsanaConfig } from './config';

export interface Decision {
  /** Our PeopleSoft record key, read from the task's external key field. */
  recordKey: string;
  kind: DocumentKind;
  businessUnit: string;
  documentId: string;
  decision: 'A' | 'D';
  approver?: string;
  comment: string;
}

export type TaskVerdict =
  | { kind: 'decide'; decision: Decision }
  | { kind: 'ignore'; reason: string; recordKey?: string }
  /** The task was reopened after a decision: PeopleSoft cannot withdraw an approval, so a person must look. */
  | { kind: 'reopened'; recordKey: string };

/**
 * Pure: what a task's *current* state asks of PeopleSoft. Events are compact and may be stale or repeated, so the
 * decision is always taken from a fresh read of the task, never from the event: applying it twice is harmless
 * (approveDocument reads APPR_STATUS first).
 */
export function taskVerdict(config: PeopleSoftAsanaConfig, task: AsanaTask): TaskVerdict {
  if (!task.projectGids.includes(config.asana.projectGid)) return { kind: 'ignore', reason: 'task is not in the connection project' };
  const raw = task.customFields[config.fields.externalKey.fieldGid]?.value;
  const parsed = typeof raw === 'string' ? parseRecordKey(raw, DOCUMENT_KINDS) : undefined;
  if (!parsed || typeof raw !== 'string') return { kind: 'ignore', reason: 'task carries no PeopleSoft record key' };
  const status = task.customFields[config.fields.status.fieldGid]?.value;
  const options = config.fields.status.enumOptions;
  if (!task.completed) {
    // Our own forward sync reopens a task (status back to Pending) when PeopleSoft reopens the document: consistent,
    // nothing to do. A reopened task whose status still shows a decision was reopened by a person.
    if (status === options.A || status === options.D) return { kind: 'reopened', recordKey: raw };
    return { kind: 'ignore', reason: 'task is open', recordKey: raw };
  }
  const approver = task.assigneeGid ? Object.entries(config.approvers).find(([, userGid]) => userGid === task.assigneeGid)?.[0] : undefined;
  const decision = status === options.D ? 'D' : 'A';
  return {
    kind: 'decide',
    decision: {
      recordKey: raw,
      kind: parsed.kind,
      businessUnit: parsed.keys[0]!,
      documentId: parsed.keys[1]!,
      decision,
      approver: approver?.slice(0, 30),
      comment: `${decision === 'A' ? 'Approved' : 'Denied'} in Asana (task ${task.gid})`,
    },
  };
}

/**
 * Whether a completed task is exactly as it was created: completed at creation and never modified since. Our forward
 * flows create a document PeopleSoft has already decided as a completed task showing that decision, so such a task
 * carries nothing PeopleSoft lacks; any later change by a person (completing, reopening, a new status) moves
 * `modified_at` past `created_at` (https://developers.asana.com/reference/gettask: created_at, modified_at). When
 * Asana stamps the two apart even so, the task is simply treated as any other (the approval CI Get finds the decision).
 */
export function completedAsCreated(task: AsanaTask): boolean {
  return task.completed && task.createdAt !== undefined && task.modifiedAt === task.createdAt;
}

export function reopenedError(recordKey: string, taskGid: string): PartnerError {
  return new PartnerError(`Asana task ${taskGid} was reopened after ${recordKey} was decided; PeopleSoft approvals cannot be withdrawn by the connector`, {
    partner: 'asana',
    operation: 'task reopened',
    decision: { retry: false, reason: 'a PeopleSoft approval cannot be undone through the approval CI' },
    code: 'ASANA_TASK_REOPENED',
    hint: `Reverse the decision on ${recordKey} in PeopleSoft by hand if it was a mistake, or complete the task again.`,
  });
}
