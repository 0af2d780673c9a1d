/**
 * Built-in Microsoft Entra role definitions as Graph lists them under
 * `/roleManagement/directory/roleDefinitions`: the id of a built-in definition is its role template
 * id, and `isPrivileged` is the "PRIVILEGED" label of Learn's built-in roles reference
 * (entra/identity/role-based-access-control/permissions-reference.md, table "All roles"). A subset:
 * the roles a hybrid tenant's admins hold and the ones Hardmatch's rules name. A seed may name any
 * of these by display name; activated `directoryRoles` must use the same template ids.
 */
export interface RoleDefinitionRecord {
  /** = templateId for built-in roles. */
  id: string;
  displayName: string;
  description: string;
  isPrivileged: boolean;
}

const role = (id: string, displayName: string, isPrivileged: boolean, description: string): RoleDefinitionRecord => ({
  id,
  displayName,
  description,
  isPrivileged,
});

export const BUILT_IN_ROLE_DEFINITIONS: readonly RoleDefinitionRecord[] = Object.freeze([
  role(
    '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    'Application Administrator',
    true,
    'Can create and manage all aspects of app registrations and enterprise apps.',
  ),
  role(
    'c4e39bd9-1100-46d3-8c65-fb160da0071f',
    'Authentication Administrator',
    true,
    'Can access to view, set and reset authentication method information for any non-admin user.',
  ),
  role(
    '158c047a-c907-4556-b7ef-446551a6b5f7',
    'Cloud Application Administrator',
    true,
    'Can create and manage all aspects of app registrations and enterprise apps except App Proxy.',
  ),
  role('b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', 'Conditional Access Administrator', true, 'Can manage Conditional Access capabilities.'),
  role(
    '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
    'Directory Readers',
    false,
    'Can read basic directory information. Commonly used to grant directory read access to applications and guests.',
  ),
  role(
    'd29b2b05-8046-44ba-8758-1e26182fcf32',
    'Directory Synchronization Accounts',
    false,
    'Only used by Microsoft Entra Connect service.',
  ),
  role('29232cdf-9323-42fd-ade2-1d097af3e4de', 'Exchange Administrator', false, 'Can manage all aspects of the Exchange product.'),
  role(
    '62e90394-69f5-4237-9190-012177145e10',
    'Global Administrator',
    true,
    'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
  ),
  role(
    'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
    'Global Reader',
    true,
    'Can read everything that a Global Administrator can, but not update anything.',
  ),
  role(
    'fdd7a751-b60b-444a-984c-02652fe8fa1c',
    'Groups Administrator',
    false,
    'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.',
  ),
  role(
    '729827e3-9c14-49f7-bb1b-9608f156bbb8',
    'Helpdesk Administrator',
    true,
    'Can reset passwords for non-administrators and Helpdesk Administrators.',
  ),
  role(
    '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
    'Hybrid Identity Administrator',
    true,
    'Manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, pass-through authentication (PTA), password hash synchronization (PHS), seamless single sign-on (seamless SSO), and federation settings.',
  ),
  role('3a2c62db-5318-420d-8d74-23affee5d9d5', 'Intune Administrator', true, 'Can manage all aspects of the Intune product.'),
  role('4d6ac14f-3453-41d0-bef9-a3e0c569773a', 'License Administrator', false, 'Can manage product licenses on users and groups.'),
  role(
    '966707d0-3269-4727-9be2-8c3a10f19b9d',
    'Password Administrator',
    true,
    'Can reset passwords for non-administrators and Password Administrators.',
  ),
  role(
    '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
    'Privileged Authentication Administrator',
    true,
    'Can access to view, set and reset authentication method information for any user (admin or non-admin).',
  ),
  role(
    'e8611ab8-c189-46e8-94e1-60213ab1f814',
    'Privileged Role Administrator',
    true,
    'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
  ),
  role(
    '194ae4cb-b126-40b2-bd5b-6091b380977d',
    'Security Administrator',
    true,
    'Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.',
  ),
  role(
    '5d6b6bb7-de71-4623-b4af-96380a352509',
    'Security Reader',
    true,
    'Can read security information and reports in Microsoft Entra ID and Office 365.',
  ),
  role('f28a1f50-f6e7-4571-818b-6a12f2af6b6c', 'SharePoint Administrator', false, 'Can manage all aspects of the SharePoint service.'),
  role('69091246-20e8-4a56-aa4d-066075b2a7a8', 'Teams Administrator', false, 'Can manage the Microsoft Teams service.'),
  role(
    'fe930be7-5e62-47db-91af-98c3a49a38b1',
    'User Administrator',
    true,
    'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
  ),
]);

const byKey = new Map<string, RoleDefinitionRecord>();
for (const d of BUILT_IN_ROLE_DEFINITIONS) {
  byKey.set(d.id, d);
  byKey.set(d.displayName.toLowerCase(), d);
}

/** A built-in definition by template id or display name (case-insensitive); undefined when unknown. */
export function roleDefinition(idOrName: string): RoleDefinitionRecord | undefined {
  return byKey.get(idOrName.trim().toLowerCase());
}
