/**
 * The stable codes tools and tests match on, as literal unions: a misspelt code is a type error.
 * The values are contracts (the CLI's JSON, the audit sheet, the Problems sheet): add, never rename.
 */

import type { MoneyViolationCode } from "./money/money-rules";

/** What `validateCase` / `validateLedger` report (`complaint-ledger check --json` prints these). */
export type ViolationCode =
  | "STATE_INCOMPLETE"
  | "APPROVAL_MISSING"
  | "CHARGE_WITHOUT_RESPONSIBILITY"
  | "CHARGE_CONFLICT"
  | "UNCONFIRMED_INTERNAL"
  | "DISPOSITION_MISFIT"
  | "COST_MISSING"
  | "NEGATIVE"
  | "DATE_BEFORE_RECEIPT"
  | "DATE_ORDER"
  | "BAD_VALUE"
  | "DUPLICATE_CASE_NO"
  | "CLOSE_DATE_UNSUPPORTED"
  | "REPLY_DATE_UNSUPPORTED"
  | "EIGHT_D_SENT_UNSIGNED"
  | "SHIP_DATE_AFTER_RECEIPT"
  | "RETURN_JUDGEMENT_CONFLICT"
  /** The money trail (issue 23, domain/money/money-rules.ts). */
  | MoneyViolationCode
  /** A cell shows an Excel error value (#DIV/0!, #N/A…): its own finding, neither a bad value nor a missing one. */
  | "CELL_ERROR"
  /** The workbook, not a case: a hidden sheet claims to be the ledger (check lists it, exit 1). */
  | "HIDDEN_LEDGER";

/** Why an edit, a save or a sign-off was refused: a violation it would introduce, or one of the service's own reasons. */
export type ReasonCode =
  | ViolationCode
  | "PROTECTED"
  | "SKIPPED_STEP"
  | "EXECUTION_UNAPPROVED"
  | "REQUIRED"
  | "NOT_YOUR_ROLE"
  | "NOT_VERIFIED"
  | "NOT_FOUND"
  | "NO_COLUMN"
  | "NO_ACTOR"
  | "FAILED"
  | "POLICY_HAS_ERRORS"
  | "NOTICE_INCOMPLETE"
  | "POLICY_INVALID"
  | "CLOSE_BLOCKED"
  | "DUPLICATE"
  | "RETURN_NOT_AUTHORISED"
  | "REPLACEMENT_UNCONFIRMED"
  | "CONTENT_MISSING"
  | "CHOOSE_DOCUMENT"
  | "NOT_NEEDED";

/** What an audit entry records. Entries read back from a sheet keep whatever text they hold. */
export type AuditAction =
  | "EDIT_REVERTED"
  | "EDIT_ACCEPTED"
  | "CASE_ADDED"
  | "CASE_UPDATED"
  | "SIGNED"
  | "SIGN_REFUSED"
  | "STEP_REFUSED"
  | "ADOPTED"
  | "RENUMBERED"
  | "ROW_DELETED"
  | "FINANCE_REVIEWED"
  | "REVIEW_REFUSED"
  | "EIGHT_D_EXPORTED"
  | "CALENDAR_IMPORTED"
  | "CASE_CLOSED"
  | "CLOSE_REFUSED"
  | "CORRECTED"
  | "EIGHT_D_REFUSED"
  | "PERSON_ADDED"
  | "PERSON_UPDATED"
  | "PERSON_DEACTIVATED"
  | "PEOPLE_REFUSED"
  | "UPGRADED"
  | "EVIDENCE_ADDED"
  | "DOCUMENT_EXPORTED"
  | "DOCUMENT_REFUSED"
  | "MAIL_SENT"
  | "MAIL_FAILED"
  | "COST_LINE_ADDED"
  | "JOURNAL_EXPORTED";

/** A line of the adoption's Problems sheet. */
export type ProblemKind =
  | "BAD_VALUE"
  | "DUPLICATE_CASE_NO"
  | "MISSING_CASE_NO"
  | "RENUMBERED"
  | "TOTAL_ROW"
  | "NOTE_ROW"
  | "HEADER_ROW"
  | "DUPLICATE_COLUMN"
  | "EXTRA_COLUMN"
  | "ROW_COUNTER"
  | "AMBIGUOUS"
  | "CASE_NO_GENERATED"
  | "OUTSIDE_LEDGER"
  | "UNMAPPED_REQUIRED"
  /** A merged area's value given to every cell it covers. */
  | "MERGED_CELLS"
  /** A second table's header below the ledger: the ledger ends there. */
  | "TABLE_END"
  /** A formula with no computed result (a program wrote it; nothing calculated it). */
  | "FORMULA_NO_VALUE"
  /** A cell showing an Excel error value (#DIV/0!, #N/A…). */
  | "CELL_ERROR";
