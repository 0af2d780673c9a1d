#!/usr/bin/env bash
# Grants the bot's managed identity the Microsoft Graph application permissions Hardmatch needs
# (docs/deploy.md "Graph permissions"), the same as admin consent. Run once after provisioning, signed in with
# `az login` as a Privileged Role Administrator or Global Administrator of the tenant:
#   infra/grant-graph-permissions.sh <MANAGED_IDENTITY_PRINCIPAL_ID> [--cloud-sync] [--no-directory-role]
# (the principal id is an output of infra/azure.bicep, written to env/.env.<env> by atk provision).
# --cloud-sync adds what an Entra Cloud Sync tenant needs (Application.Read.All to find Cloud Sync's
# service principal, Synchronization.ReadWrite.All to provision on demand). Unless
# --no-directory-role, the identity is also made Hybrid Identity Administrator: the role Graph
# requires to clear onPremisesObjectIdentifier (without it that step becomes a person's step).
# Safe to run again: permissions and the role already held are left alone.
set -euo pipefail

principal_id="${1:-}"
if [[ ! "$principal_id" =~ ^[0-9a-fA-F-]{36}$ ]]; then
  echo "usage: $0 <object (principal) id of the bot's managed identity>" >&2
  exit 2
fi

shift
cloud_sync=false
directory_role=true
for option in "$@"; do
  case "$option" in
    --cloud-sync) cloud_sync=true ;;
    --no-directory-role) directory_role=false ;;
    *) echo "unknown option $option (known: --cloud-sync, --no-directory-role)" >&2; exit 2 ;;
  esac
done

permissions=(
  User.ReadWrite.All
  User.DeleteRestore.All
  Domain.Read.All
  OnPremDirectorySynchronization.Read.All
  GroupMember.Read.All
  RoleManagement.Read.Directory
  User-OnPremisesSyncBehavior.ReadWrite.All
  RoleEligibilitySchedule.Read.Directory
  AuditLog.Read.All
)
# Entra Cloud Sync tenants only: find Cloud Sync's service principal and job, provision on demand.
if [[ "$cloud_sync" == true ]]; then
  permissions+=(Application.Read.All Synchronization.ReadWrite.All)
fi
graph_app_id=00000003-0000-0000-c000-000000000000
graph=https://graph.microsoft.com/v1.0

graph_sp_id=$(az ad sp show --id "$graph_app_id" --query id -o tsv)
assignments="$graph/servicePrincipals/$principal_id/appRoleAssignments"

for permission in "${permissions[@]}"; do
  role_id=$(az ad sp show --id "$graph_app_id" \
    --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  if [[ -z "$role_id" ]]; then
    echo "Microsoft Graph has no application permission $permission" >&2
    exit 1
  fi
  held=$(az rest --method GET --url "$assignments" --query "length(value[?appRoleId=='$role_id'])" -o tsv)
  if [[ "$held" != "0" ]]; then
    echo "already granted: $permission"
    continue
  fi
  az rest --method POST --url "$assignments" --headers Content-Type=application/json \
    --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$role_id\"}" >/dev/null
  echo "granted: $permission"
done

# Clearing onPremisesObjectIdentifier (CLEAR_OBJECT_IDENTIFIER) also needs the caller in the Hybrid
# Identity Administrator (or Global Administrator) directory role; the least privileged one is given.
if [[ "$directory_role" == true ]]; then
  hybrid_identity_admin=8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2
  role_assignments="$graph/roleManagement/directory/roleAssignments"
  held=$(az rest --method GET \
    --url "$role_assignments?\$filter=principalId eq '$principal_id' and roleDefinitionId eq '$hybrid_identity_admin'" \
    --query "length(value)" -o tsv)
  if [[ "$held" != "0" ]]; then
    echo "already assigned: Hybrid Identity Administrator"
  else
    az rest --method POST --url "$role_assignments" --headers Content-Type=application/json \
      --body "{\"principalId\":\"$principal_id\",\"roleDefinitionId\":\"$hybrid_identity_admin\",\"directoryScopeId\":\"/\"}" >/dev/null
    echo "assigned: Hybrid Identity Administrator"
  fi
fi
