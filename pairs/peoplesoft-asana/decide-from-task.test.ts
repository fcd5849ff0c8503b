import { type AsanaTask } from '../../connectors/asana';
import { completedAsCreated } from './decide-from-task';

const created = '2026-12-01T01:00:00.000Z';
const task = (over: Partial<AsanaTask>): AsanaTask => ({
  gid: '1',
  name: 'Approve voucher US001/V1',
  notes: '',
  completed: true,
  completedAt: created,
  assigneeGid: null,
  dueOn: null,
  createdAt: created,
  modifiedAt: created,
  projectGids: ['p'],
  customFields: {},
  ...over,
});

describe('completedAsCreated', () => {
  it('is true for a task created completed and never modified since (the forward sync copied a PeopleSoft decision)', () => {
    expect(completedAsCreated(task({}))).toBe(true);
  });

  it('is false once a person changed the task after its creation, an open task, or a task without creation time', () => {
    expect(completedAsCreated(task({ modifiedAt: '2026-12-01T01:00:00.001Z' }))).toBe(false);
    expect(completedAsCreated(task({ completed: false, completedAt: null }))).toBe(false);
    expect(completedAsCreated(task({ createdAt: undefined, modifiedAt: undefined }))).toBe(false);
  });
});
