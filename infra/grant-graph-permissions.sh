#!/usr/bin/env bash
# Grants the bot's managed identity the Microsoft Graph application permissions Hardmatch needs
# (docs/deploy.md "Graph permissions"), the same as admin consent. Run once after provisioning, signed in with
# `az login` as a Privileged Role Administrator or Global Administrator of the tenant:
#   infra/grant-graph-permissions.sh <MANAGED_IDENTITY_PRINCIPAL_ID>
# (the principal id is an output of infra/azure.bicep, written to env/.env.<env> by atk provision).
# Safe to run again: permissions already granted are left alone.
set -euo pipefail

principal_id="${1:-}"
if [[ ! "$principal_id" =~ ^[0-9a-fA-F-]{36}$ ]]; then
  echo "usage: $0 <object (principal) id of the bot's managed identity>" >&2
  exit 2
fi

permissions=(
  User.ReadWrite.All
  User.DeleteRestore.All
  Domain.Read.All
  OnPremDirectorySynchronization.Read.All
  GroupMember.Read.All
  RoleManagement.Read.Directory
)
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
