/**
 * The platform's database errors, as the admin endpoint answers them: `{ code, message, requestId }`.
 * wx-server-sdk 4.0.2 turns `code` into `errCode` through its TCB_ERR_CODE table (codes missing from that
 * table become -501001 "resource system error") and puts `message` into `errMsg` after
 * `<api>:fail <errCode> <text>. `; functions only ever see errCode and errMsg, so the message text is
 * part of the contract and is kept here, in one table.
 *
 * Sources, for whoever revisits a message:
 * - DATABASE_TRANSACTION_CONFLICT and DATABASE_TRANSACTION_FAIL: the exact messages asserted against the
 *   real service by @cloudbase/node-sdk's own transaction tests (test/database/transaction.test.ts:
 *   "冲突检测", "读偏", "事务提交后, 不能进行其它操作").
 * - DATABASE_DUPLICATE_WRITE: https://docs.cloudbase.net/error-code/DATABASE_DUPLICATE_WRITE ("index key
 *   duplicate, for example inserting data with same _id"); the "[FailedOperation.DuplicateWrite]" prefix is
 *   the one mini programs have matched on in errMsg; the E11000 text is MongoDB's, which the service
 *   relays (it names the index and the key).
 * - DATABASE_COLLECTION_NOT_EXIST: "[ResourceNotFound] Db or Table not exist", the text functions match on.
 * - The others have no documented message; ours say what happened in the same style.
 */

export type DbErrorCode =
  | 'INVALID_PARAM'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_DUPLICATE_WRITE'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL';

const TAIL = 'Please check your request, but if the problem persists, contact us.';

/** An error the database answers with; anything else thrown inside is a bug and becomes SYS-like. */
export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DbError';
  }
}

export function invalidParam(detail: string): DbError {
  return new DbError('INVALID_PARAM', `[InvalidParameter] ${detail}. ${TAIL}`);
}

export function invalidOperator(detail: string): DbError {
  return new DbError(
    'DATABASE_INVALID_OPERRATOR',
    `[InvalidParameter.InvalidOperator] ${detail}. ${TAIL}`,
  );
}

export function requestFailed(detail: string): DbError {
  return new DbError('DATABASE_REQUEST_FAILED', `[FailedOperation] ${detail}. ${TAIL}`);
}

export function collectionNotExist(): DbError {
  return new DbError(
    'DATABASE_COLLECTION_NOT_EXIST',
    `[ResourceNotFound] Db or Table not exist. ${TAIL}`,
  );
}

export function collectionAlreadyExist(): DbError {
  return new DbError(
    'DATABASE_COLLECTION_ALREADY_EXIST',
    `[ResourceInUse] Table already exists. ${TAIL}`,
  );
}

/** What a unique index refused: the index, its fields and the values that collided. */
export interface DuplicateKey {
  env: string;
  collection: string;
  index: string;
  /** Field → value, in the index's key order, rendered as MongoDB does in E11000 messages. */
  key: [field: string, value: string][];
}

function e11000(dup: DuplicateKey): string {
  const key = dup.key.map(([field, value]) => `${field}: ${value}`).join(', ');
  return (
    `E11000 duplicate key error collection: ${dup.env}.${dup.collection} ` +
    `index: ${dup.index} dup key: { ${key} }`
  );
}

/**
 * A unique index refused a write outside a transaction. Inside one the service reports the same MongoDB
 * text under the generic DATABASE_REQUEST_FAILED (errCode -502001): that is what a wx-server-sdk 4.0.2
 * function saw in production for a transactional insert on a compound unique index (a field report we
 * found and cite in the tests); see `duplicateKeyInTransaction`.
 */
export function duplicateKey(dup: DuplicateKey): DbError {
  return new DbError(
    'DATABASE_DUPLICATE_WRITE',
    `[FailedOperation.DuplicateWrite] ${e11000(dup)}. ${TAIL}`,
  );
}

export function duplicateKeyInTransaction(dup: DuplicateKey): DbError {
  return new DbError('DATABASE_REQUEST_FAILED', `[FailedOperation] ${e11000(dup)}. ${TAIL}`);
}

export function transactionConflict(): DbError {
  return new DbError(
    'DATABASE_TRANSACTION_CONFLICT',
    `[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. ${TAIL}`,
  );
}

export function transactionNotExist(): DbError {
  return new DbError(
    'DATABASE_TRANSACTION_FAIL',
    '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction ' +
      `must be commit or abort in 30 seconds. ${TAIL}`,
  );
}

/** Only single-document operations may run inside a transaction (the platform's documented limit). */
export function notAllowedInTransaction(what: string): DbError {
  return new DbError(
    'DATABASE_INVALID_OPERRATOR',
    `[InvalidParameter.TransactionNotSupported] ${what} is not supported in a transaction: only ` +
      `doc(id).get/set/update/remove and add are. ${TAIL}`,
  );
}
