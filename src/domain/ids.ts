/**
 * Directory ids (tenant ids, object ids) are GUIDs, which Entra and Teams compare without regard to
 * case but send in either. They are put in this one form where they enter (the activity, the
 * configuration, Graph's answers), so every comparison and every stored key after that is exact:
 * a store query filtering on a tenant, or the check that one person does not approve twice.
 */
export function canonicalId(id: string): string {
  return id.trim().toLowerCase();
}
