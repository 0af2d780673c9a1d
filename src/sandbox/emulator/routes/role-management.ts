/**
 * /roleManagement/directory: the built-in role definitions (`roleDefinitions`; `isPrivileged` exists
 * under /beta only, as on Graph, where v1.0 answers 400 to `$select=isPrivileged`) and PIM's
 * eligibility schedule instances (`roleEligibilityScheduleInstances`: who could activate which
 * role, filterable by `principalId eq '...'`, unfiltered for the tenant-wide read). Shapes and
 * permissions from rbacapplication-list-roledefinitions.md and
 * rbacapplication-list-roleeligibilityscheduleinstances.md.
 */
import type { UnifiedRoleDefinition, UnifiedRoleEligibilityScheduleInstance } from '@microsoft/microsoft-graph-types';
import { graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { ApiVersion, RouteHandler } from '../http/types.ts';
import type { RoleEligibilityRecord } from '../model.ts';
import type { FilterSchema, FilterValue } from '../odata-filter.ts';
import { project, type ResourceShape } from '../projection.ts';
import { BUILT_IN_ROLE_DEFINITIONS, roleDefinition, type RoleDefinitionRecord } from '../role-definitions.ts';

const DEFINITION_PROPERTIES = [
  'id',
  'description',
  'displayName',
  'isBuiltIn',
  'isEnabled',
  'resourceScopes',
  'rolePermissions',
  'templateId',
  'version',
];
const DEFINITION_SHAPE: ResourceShape = {
  type: 'unifiedRoleDefinition',
  properties: DEFINITION_PROPERTIES,
  defaults: DEFINITION_PROPERTIES,
};
const DEFINITION_PROPERTIES_BETA = [...DEFINITION_PROPERTIES, 'isPrivileged'];
const DEFINITION_SHAPE_BETA: ResourceShape = {
  type: 'unifiedRoleDefinition',
  properties: DEFINITION_PROPERTIES_BETA,
  defaults: DEFINITION_PROPERTIES_BETA,
};

const definitionShape = (version: ApiVersion): ResourceShape => (version === 'beta' ? DEFINITION_SHAPE_BETA : DEFINITION_SHAPE);

const DEFINITION_FILTER: FilterSchema = {
  resource: 'UnifiedRoleDefinition',
  scalars: { id: 'caseInsensitive', displayName: 'caseInsensitive', templateId: 'caseInsensitive' },
  collections: {},
  startsWith: ['displayName'],
};

function graphDefinition(d: RoleDefinitionRecord): UnifiedRoleDefinition & { isPrivileged: boolean } {
  return {
    id: d.id,
    description: d.description,
    displayName: d.displayName,
    isBuiltIn: true,
    isEnabled: true,
    isPrivileged: d.isPrivileged,
    resourceScopes: ['/'],
    rolePermissions: [],
    templateId: d.id,
    version: '1',
  };
}

const definitionValue = (d: RoleDefinitionRecord, property: string): FilterValue =>
  property === 'displayName' ? d.displayName : property === 'id' || property === 'templateId' ? d.id : null;

const listDefinitions: RouteHandler = (request, _params, context) =>
  listCollection(request, context, {
    items: BUILT_IN_ROLE_DEFINITIONS,
    key: (d) => d.id,
    shape: definitionShape(context.version),
    filterSchema: DEFINITION_FILTER,
    filterValue: definitionValue,
    render: (d, select) => project(graphDefinition(d), definitionShape(context.version), select),
    contextPath: 'roleManagement/directory/roleDefinitions',
  });

const getDefinition: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  const definition = roleDefinition(id);
  // By id only: a display name in the path is not a key Graph accepts.
  if (!definition || definition.id !== id.toLowerCase()) throw graphErrors.resourceNotFound(id);
  const shape = definitionShape(context.version);
  const select = parseEntityQuery(request.query, shape);
  return ok({
    '@odata.context': contextUrl(context.root, 'roleManagement/directory/roleDefinitions', select, true),
    ...project(graphDefinition(definition), shape, select),
  });
};

const ELIGIBILITY_PROPERTIES = [
  'id',
  'appScopeId',
  'directoryScopeId',
  'endDateTime',
  'memberType',
  'principalId',
  'roleDefinitionId',
  'roleEligibilityScheduleId',
  'startDateTime',
];
const ELIGIBILITY_SHAPE: ResourceShape = {
  type: 'unifiedRoleEligibilityScheduleInstance',
  properties: ELIGIBILITY_PROPERTIES,
  defaults: ELIGIBILITY_PROPERTIES,
};

const ELIGIBILITY_FILTER: FilterSchema = {
  resource: 'UnifiedRoleEligibilityScheduleInstance',
  scalars: { principalId: 'caseInsensitive', roleDefinitionId: 'caseInsensitive', directoryScopeId: 'caseInsensitive' },
  collections: {},
  startsWith: [],
};

function graphEligibility(e: RoleEligibilityRecord): UnifiedRoleEligibilityScheduleInstance {
  return {
    id: e.id,
    appScopeId: null,
    directoryScopeId: '/',
    endDateTime: e.endDateTime,
    memberType: 'Direct',
    principalId: e.principalId,
    roleDefinitionId: e.roleDefinitionId,
    roleEligibilityScheduleId: e.id,
    startDateTime: e.startDateTime,
  };
}

const eligibilityValue = (e: RoleEligibilityRecord, property: string): FilterValue =>
  property === 'principalId'
    ? e.principalId
    : property === 'roleDefinitionId'
      ? e.roleDefinitionId
      : property === 'directoryScopeId'
        ? '/'
        : null;

/** Instances are what is in force now: an eligibility whose end date has passed is gone. */
const listEligibilities: RouteHandler = (request, _params, context) => {
  const now = context.now().getTime();
  return listCollection(request, context, {
    items: context.state.roleEligibilities().filter((e) => e.endDateTime === null || Date.parse(e.endDateTime) > now),
    key: (e) => e.id,
    shape: ELIGIBILITY_SHAPE,
    filterSchema: ELIGIBILITY_FILTER,
    filterValue: eligibilityValue,
    render: (e, select) => project(graphEligibility(e), ELIGIBILITY_SHAPE, select),
    contextPath: 'roleManagement/directory/roleEligibilityScheduleInstances',
  });
};

export const roleManagementRoutes: Route[] = [
  { pattern: '/roleManagement/directory/roleDefinitions', handlers: { GET: listDefinitions } },
  { pattern: '/roleManagement/directory/roleDefinitions/:id', handlers: { GET: getDefinition } },
  { pattern: '/roleManagement/directory/roleEligibilityScheduleInstances', handlers: { GET: listEligibilities } },
];
