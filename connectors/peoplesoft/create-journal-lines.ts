import { z } from 'zod';
import { decimalTextSchema } from '../../core/decimal';
import { createOnce, type WriteResult } from './ci-write';
import { componentInterfaces } from './component-interfaces';
import { type PeopleSoftSoapCaller } from './soap-client';

/** A GL journal with its cost lines (JRNL_LN: https://pt.dbtutor.com/fscm/jrnl_ln_pnl_tmp.htm). */
export const journalInputSchema = z
  .object({
    BUSINESS_UNIT: z.string().min(1).max(5),
    JOURNAL_ID: z.string().min(1).max(10),
    JOURNAL_DATE: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    LEDGER: z.string().max(10).optional(),
    JRNL_LN: z
      .array(
        z
          .object({
            JOURNAL_LINE: z.number().int().min(1),
            ACCOUNT: z.string().min(1).max(10),
            DEPTID: z.string().max(10).optional(),
            OPERATING_UNIT: z.string().max(8).optional(),
            PROJECT_ID: z.string().max(15).optional(),
            MONETARY_AMOUNT: decimalTextSchema(3),
            TXN_CURRENCY_CD: z.string().length(3).optional(),
            LINE_DESCR: z.string().max(30).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type JournalInput = z.input<typeof journalInputSchema>;

/** Create GL cost lines through CI_MLC_JOURNAL_LN_C; the journal's natural key makes retries detectable. */
export function createJournalLines(soap: PeopleSoftSoapCaller, input: JournalInput): Promise<WriteResult> {
  return createOnce(soap, componentInterfaces.journal, journalInputSchema.parse(input));
}
