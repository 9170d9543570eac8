// The permission catalogue and the roles every tenant starts with. Services check permissions, not routes.
export const permissions = {
  UserView: "See the tenant's users",
  UserManage: 'Create, change, disable and delete users; reset passwords; issue user API keys',
  RoleView: 'See roles and their permissions',
  RoleManage: 'Create, change and delete roles',
  SystemLogView: 'Read the call log (/api/system-logs)',
  ApiKeyManage: "Create and revoke the tenant's API keys",
  MemoryView: 'Read memories, facts, episodes and context',
  MemoryManage: 'Write and delete memories',
  IdentityView: 'See identities',
  IdentityManage: 'Create, change and delete identities',
  HydrationView: 'Hydrate an identity (/api/hydrate)',
} as const;

export type Permission = keyof typeof permissions;
export const allPermissions = Object.keys(permissions) as Permission[];

export const isPermission = (p: string): p is Permission => p in permissions;

/** Roles created with every tenant. `admin` holds every permission; its set cannot be changed. */
export const systemRoles: { name: string; description: string; permissions: Permission[] }[] = [
  { name: 'admin', description: 'Everything, including users, roles and keys', permissions: allPermissions },
  {
    name: 'member',
    description: 'Uses memory and identities; no administration',
    permissions: ['MemoryView', 'MemoryManage', 'IdentityView', 'IdentityManage', 'HydrationView'],
  },
];
