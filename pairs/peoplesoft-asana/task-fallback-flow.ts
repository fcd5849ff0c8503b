import { MappingError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { type AsanaTask } from '../../connectors/asana';
import { pairContext } from './context';
import { completedAsCreated, taskVerdict, type Decision } from './decide-from-task';
import { applyDecision } from './inbox';

/**
 * Asana delivers each webhook event at most once, so a delivery lost while our API was down would leave a decision
 * unapplied. This flow lists the project's tasks modified since the watermark and sends completed ones through the
 * same verdict and approval code as the inbox. Links (task -> document) and hashes make a poll after the webhook a
 * no-op; PeopleSoft's CI Get makes a double application harmless anyway. A task untouched since it was created
 * completed is left out: the forward flow created it from a decision PeopleSoft already holds (a first sync makes one
 * per decided document, and each would cost a CI Get plus an intent, link and audit row for nothing).
 *
 * Only completions are handled here: a reopened task is reported by the inbox, which sees the change as it happens.
 */
export const taskFallbackFlow: FlowFactory = (ctx): FlowRuntime<Decision> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'asana',
    targetSystem: 'peoplesoft',
    direction: 'asana->peoplesoft',
    async fetchWindow(from) {
      // One listing per window; `to` is not applied because Asana's clock, not ours, stamps modified_at, and the hash
      // makes re-reading a task harmless. https://developers.asana.com/reference/gettasks
      const records: SourceRecord[] = [];
      for await (const page of pair.asana.listProjectTasks({ modifiedSince: from })) {
        for (const task of page) {
          if (completedAsCreated(task) || taskVerdict(pair.config, task).kind !== 'decide') continue;
          records.push({ key: `asana-task:${task.gid}`, updatedAt: task.modifiedAt ?? from.toISOString(), data: task });
        }
      }
      return records;
    },
    map(record) {
      const verdict = taskVerdict(pair.config, record.data as AsanaTask);
      if (verdict.kind !== 'decide') throw new MappingError(`task ${record.key} no longer asks for a decision`);
      // The comment names the task, not the time: the hash changes only when the decision does.
      return verdict.decision;
    },
    async create(decision) {
      await applyDecision(pair, decision);
      return { targetId: decision.recordKey };
    },
    async update(_targetId, decision) {
      await applyDecision(pair, decision);
    },
    // Approvals are idempotent: after a crash the create simply runs again and finds the decision already there.
    findExisting: () => Promise.resolve(undefined),
  };
};
