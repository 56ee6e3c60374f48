/** The roles a person holds; below every module that checks them (the access rules, the users table). */
export const ROLES = ['secretary', 'instructor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What people call each role, in the sentences they read. */
export const ROLE_NAMES: Record<Role, string> = { secretary: '支部书记', instructor: '授课教师', admin: '管理员' };
