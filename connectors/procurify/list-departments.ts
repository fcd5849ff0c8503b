import type { ProcurifyClient } from './client';
import { rawDepartmentSchema, type RawDepartment } from './schemas';

/** GET /api/v3/departments (departments_list, https://developer.procurify.com/tag/departments), every page. */
export function listDepartments(client: ProcurifyClient): Promise<RawDepartment[]> {
  return client.all({ operation: 'GET /api/v3/departments', method: 'GET', path: '/api/v3/departments' }, rawDepartmentSchema);
}
