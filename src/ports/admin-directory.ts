/**
 * Who counts as an admin (a requester or approver): members of ADMIN_GROUP_ID (transitive, read
 * through Graph, cached for a minute) and the object ids in ADMIN_IDS. Implemented in
 * src/approvals/admin-directory.ts.
 */
export interface AdminDirectory {
  /** False when neither ADMIN_GROUP_ID nor ADMIN_IDS is set: nobody may request or approve. */
  readonly configured: boolean;
  isAdmin(aadObjectId: string): Promise<boolean>;
  /** Every admin's object id (for a card's refresh.userIds); ADMIN_IDS first. */
  adminIds(): Promise<string[]>;
}
